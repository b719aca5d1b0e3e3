import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CommandLineError } from '../contracts/workflows/command-line.ts';
import { DatabaseUnreachableError } from './db/unreachable.ts';
import { installErrorHandling } from './errors.ts';

describe('error handler', () => {
  it('answers user input that a deeper layer refused with 400 problem+json, not 500', async () => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    app.get('/command-line', async () => {
      throw new CommandLineError(`" is not allowed`, 'INPUT_FILES');
    });
    const cl = await app.inject({ method: 'GET', url: '/command-line' });
    expect(cl.statusCode).toBe(400);
    expect(cl.headers['content-type']).toContain('application/problem+json');
    expect(cl.json()).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'values.INPUT_FILES' }] });
    await app.close();
  });

  it("answers 503 DATABASE_UNREACHABLE with Retry-After when the portal's database is down, without its address", async () => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    app.get('/db', async () => {
      throw new DatabaseUnreachableError('PostgreSQL at postgres://db:5432/portal is unreachable: connect ECONNREFUSED', null);
    });
    const res = await app.inject({ method: 'GET', url: '/db' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'DATABASE_UNREACHABLE', message: expect.stringMatching(/database is not reachable/) });
    expect(res.body).not.toMatch(/ECONNREFUSED|5432/);
    await app.close();
  });
});
