import { createServer } from 'node:http';

// The callback receiver of the webhooks benchmark, in a process of its own: answers every POST with 200 at
// once and counts them; GET /stats gives the count and the first and last arrival, POST /reset clears them.
let count = 0;
let first = 0;
let last = 0;
const ids = new Set<string>();

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ count, distinct: ids.size, first, last }));
  }
  if (req.url === '/reset') {
    count = 0;
    first = 0;
    last = 0;
    ids.clear();
    return void res.writeHead(204).end();
  }
  req.resume();
  req.on('end', () => {
    const now = Date.now();
    if (count === 0) first = now;
    last = now;
    count += 1;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') ids.add(`${id} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 10_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
