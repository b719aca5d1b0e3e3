import fc from 'fast-check';
import { COMMAND_UNSAFE_CHAR } from '../../text.ts';

/** Printable text of any kind (no control characters), biased towards what shells and bosh treat specially. */
const SPECIAL = [
  '"',
  '\\',
  ';',
  '[',
  ']',
  "'",
  ' ',
  '$',
  '`',
  '|',
  '&',
  '*',
  '{',
  '}',
  ',',
  '=',
  '-',
  '.txt',
  '.gz',
  'é',
  '😀',
  '$(x)',
  "'\"'",
];
/** Any printable text (control characters removed), rich in what shells and JDL parsers give meaning to. */
export const printable = fc
  .array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ maxLength: 4 })), {
    maxLength: 6,
  })
  .map((parts) => parts.join('').replace(new RegExp(COMMAND_UNSAFE_CHAR.source, 'g'), ''));
