// What every command shares: where lines go (stdout, stderr; tests give their own) and the exit codes.

export interface Io {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

export const defaultIo: Io = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`)
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
