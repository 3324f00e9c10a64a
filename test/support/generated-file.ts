/**
 * Fails when a committed generated file differs from what its generator writes now, naming
 * the first differing line and the command that regenerates it.
 */
export function expectGenerated(name: string, actual: string, expected: string, howToFix: string): void {
  if (actual === expected) return;
  const exp = expected.split('\n');
  const act = actual.split('\n');
  let line = 0;
  while (line < exp.length && exp[line] === act[line]) line++;
  throw new Error(
    [
      `${name} is out of date. ${howToFix}`,
      `First difference at line ${line + 1}:`,
      `  ${name}: ${act[line] ?? '<end of file>'}`,
      `  generated: ${exp[line] ?? '<end of file>'}`,
    ].join('\n'),
  );
}
