/** `iolitmus web [--port N]`: the playground, served on localhost (docs/cli.md, "web"). */
import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('serve the playground (editor, checker, graphs, matrix, calculators) on localhost')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0: any free port)', '8000')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number 0..65535, got '${opts.port}'`);
      // Loaded here, not at start-up: node:http would cost every other command's cold start.
      const { serveWeb, webRoot } = await import('../web-server.js');
      const root = webRoot();
      if (root === undefined) throw new UsageError('web: the playground is not built (run npm run build:web)');
      let server;
      try {
        server = await serveWeb(root, port);
      } catch (e) {
        throw new UsageError(`web: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
      }
      const { port: bound } = server.address() as AddressInfo;
      process.stdout.write(`iolitmus playground: http://127.0.0.1:${bound}/ (Ctrl-C stops it)\n`);
      // Serve until stopped: the command's end would end the process.
      await new Promise<void>((done) => server.once('close', done));
    });
}
