import { renderJdl } from './render.ts';

/** The one-click "Hello world" job: echo a greeting, keep stdout/stderr in the output sandbox. */
export function helloWorldJdl({ greeting, message, jobGroup }: { greeting: string; message: string; jobGroup?: string }): string {
  return renderJdl({
    JobName: 'hello-world',
    Executable: 'echo',
    Arguments: `${greeting}, ${message}!`,
    JobGroup: jobGroup,
    StdOutput: 'std.out',
    StdError: 'std.err',
    OutputSandbox: ['std.out', 'std.err'],
    CPUTime: 300,
    Priority: 1,
  });
}
