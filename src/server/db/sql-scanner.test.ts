import { describe, expect, it } from 'vitest';
import { scanSql } from './sql-scanner.ts';

describe('scanSql', () => {
  it('scanSql rewrites placeholders outside literals and counts statements', () => {
    const s = scanSql('SELECT $1, \'$2\', "$3", $$ $4 $$, $tag$ $5 $tag$, a$6 -- $7\n /* $8 */ FROM t WHERE x = $10;');
    expect(s.sqliteSql).toBe('SELECT ?1, \'$2\', "$3", $$ $4 $$, $tag$ $5 $tag$, a$6 -- $7\n /* $8 */ FROM t WHERE x = ?10;');
    expect(s.maxParam).toBe(10);
    expect(s.statements).toBe(1);
    expect(scanSql('CREATE TABLE a (x INTEGER); -- c\n CREATE TABLE b (y INTEGER);\n').statements).toBe(2);
    expect(scanSql("SELECT ';'").statements).toBe(1);
    expect(scanSql("SELECT '?'").hasQuestionMark).toBe(false);
  });
});
