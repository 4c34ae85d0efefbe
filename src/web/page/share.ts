/**
 * A shareable link: the test text, the model and the assumptions, compressed (deflate) into the
 * URL fragment, which never leaves the browser (no server sees a fragment).
 */
export interface Shared {
  readonly text: string;
  /** A built-in model's name (`lkmm`), or empty for the test's own choice. */
  readonly model: string;
  readonly assume: string;
  /** The KVM and FWB pickers ('' as the test says). */
  readonly kvm: string;
  readonly fwb: string;
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** The fragment (`#s=...`) for a state. */
export async function encodeShare(state: Shared): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return `#s=${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/** The state a fragment holds, or undefined when it holds none (or a damaged one). */
export async function decodeShare(hash: string): Promise<Shared | undefined> {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const json = new TextDecoder().decode(await pipe(fromBase64Url(m[1]!), new DecompressionStream('deflate-raw')));
    const v = JSON.parse(json) as Partial<Shared>;
    if (typeof v.text !== 'string') return undefined;
    const str = (x: unknown) => (typeof x === 'string' ? x : '');
    return { text: v.text, model: str(v.model), assume: str(v.assume), kvm: str(v.kvm), fwb: str(v.fwb) };
  } catch {
    return undefined;
  }
}
