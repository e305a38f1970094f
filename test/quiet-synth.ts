// FleetSynth prints warnings and refusals to stderr and sets process.exitCode; fleet-synth.test.ts tests both. Suites
// that only look at what a synth writes silence the one and restore the other after each test.

/** Registers the beforeEach/afterEach that silence FleetSynth's output and restore process.exitCode. */
export function quietSynth(): void {
  const savedExitCode = process.exitCode;
  beforeEach(() => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = savedExitCode;
  });
}

/** What FleetSynth printed in the current test, and process.exitCode as it was before the test. */
export interface CapturedSynthOutput {
  /** The chunks written to stderr, in order; emptied before each test. */
  readonly stderr: string[];
  /** process.exitCode before the test, restored after it. */
  savedExitCode: typeof process.exitCode;
}

/** Registers the beforeEach/afterEach that record FleetSynth's output and restore process.exitCode. */
export function captureSynthOutput(): CapturedSynthOutput {
  const captured: CapturedSynthOutput = { stderr: [], savedExitCode: undefined };
  beforeEach(() => {
    captured.savedExitCode = process.exitCode;
    captured.stderr.length = 0;
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      captured.stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = captured.savedExitCode;
  });
  return captured;
}
