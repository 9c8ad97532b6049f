const { Pool } = require('pg');
async function run(label, config) {
  const pool = new Pool({ ...config, database: 'test', max: 10 });
  await pool.query('SELECT 1');
  for (const conc of [1, 10]) {
    let n = 0; const end = Date.now() + 3000;
    await Promise.all(Array.from({ length: conc }, async () => { while (Date.now() < end) { await pool.query('SELECT $1::int AS x', [1]); n++; } }));
    console.log(label, 'conc', conc, Math.round(n / 3), 'q/s');
  }
  await pool.end();
}
(async () => { await run('tcp', { host: '127.0.0.1', port: 5432, user: 'postgres' }); await run('unix', { host: '/var/run/postgresql', user: 'postgres' }); })();
