// Named checks for the script-driven suites (image smoke, topology): each prints ✓/✗, failures do not stop
// the run, and `finish` writes test-results/<name>.json ({ passed, failed }) for scripts/test.mjs to count.
import fs from 'node:fs';
import path from 'node:path';

export function checks(name, root) {
  const results = { passed: 0, failed: 0 };
  return {
    results,
    async check(what, fn) {
      try {
        await fn();
        results.passed += 1;
        console.log(`  ✓ ${what}`);
      } catch (err) {
        results.failed += 1;
        console.log(`  ✗ ${what}\n      ${String(err.message).replace(/\n/g, '\n      ')}`);
      }
    },
    finish() {
      fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(root, `test-results/${name}.json`), JSON.stringify(results));
      console.log(`${name}: ${results.passed} passed, ${results.failed} failed`);
      process.exit(results.failed ? 1 : 0);
    },
  };
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}
