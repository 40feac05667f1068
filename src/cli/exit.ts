/** The one place the process ends. Everything else returns an exit code. */
export function exitProcess(code: number): never {
  process.exit(code);
}

/** Sets the exit code and lets pending writes (stdout pipes) drain before Node exits. */
export function setExitCode(code: number): void {
  process.exitCode = code;
}
