// Refuses to start when a port npm start needs is taken, naming it: a second stack must not half-start and
// then talk to the first one's apps. Usage: node scripts/check-ports.mjs "<port> <what uses it>" …
import { createServer } from 'node:net';

function free(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '0.0.0.0', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

let taken = 0;
for (const arg of process.argv.slice(2)) {
  const [port, ...what] = arg.split(' ');
  if (!(await free(Number(port)))) {
    console.error(
      `Port ${port} is already in use (${what.join(' ')}). Stop what listens there, or choose another port.`,
    );
    taken++;
  }
}
process.exit(taken > 0 ? 1 : 0);
