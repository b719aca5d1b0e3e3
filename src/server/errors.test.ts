import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CommandLineError } from '../contracts/workflows/command-line.ts';
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
});
