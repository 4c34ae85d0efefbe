/**
 * The page's two workers: one lints as you type, one checks. Stopping a check terminates its
 * worker (the search cannot be interrupted from outside) and starts a fresh one.
 */
import type { Reply, Request } from '../protocol.js';

type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };
type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export class WorkerClient {
  private worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  /** Told of a running request's progress. */
  onProgress: (examined: number) => void = () => undefined;

  constructor(private readonly url: string) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = new Worker(this.url, { type: 'module' });
    w.onmessage = (e: MessageEvent<Reply>) => {
      if (e.data.kind === 'progress') return this.onProgress(e.data.examined);
      const p = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      p?.resolve(e.data);
    };
    w.onerror = (e) => this.failAll(new Error(e.message || 'the checker stopped'));
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  request(body: Body): Promise<Reply> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as Request);
    });
  }

  /** Stop whatever runs: pending requests fail with `why`, and a fresh worker takes over. */
  restart(why: string): void {
    this.worker.terminate();
    this.failAll(new Error(why));
    this.worker = this.start();
  }
}
