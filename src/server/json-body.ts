/**
 * The BFF's JSON body parser: Fastify's own (prototype-poisoning checks), after a linear scan that refuses
 * bodies nested deeper than MAX_JSON_DEPTH. No contract nests anywhere near that, and deeper bodies make
 * recursive code (zod, serialisers, the database drivers) overflow the stack: a 500 caused by the user.
 */
import type { FastifyInstance } from 'fastify';
import { problems } from './errors.ts';

export const MAX_JSON_DEPTH = 64;

/** Whether `text` opens more than `max` nested arrays/objects (brackets inside strings do not count). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export function registerJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestedDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(problems.validation(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep`), undefined);
      return;
    }
    parse(request, body as string, done);
  });
}
