// Readers of /proc (Linux): a process's memory and CPU time, and the whole machine's busy time.

import { readFileSync } from 'node:fs'

/** A field of /proc/PID/status in bytes (VmRSS, VmHWM), or NaN once the process is gone. */
export function procStatusBytes (pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? NaN : Number(m[1]) * 1024
  } catch {
    return NaN
  }
}

/** CPU seconds (user + system) a process has used so far, or NaN once it is gone. */
export function cpuSecondsOf (pid, ticksPerSecond = 100) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after "(comm) ": state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return NaN
  }
}

/** Busy CPU seconds of the whole machine so far (every core; idle and iowait excluded), and steal. */
export function machineCpuSeconds (ticksPerSecond = 100) {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    return { busy: (user + nice + system + irq + softirq + steal) / ticksPerSecond, steal: steal / ticksPerSecond }
  } catch {
    return { busy: NaN, steal: NaN }
  }
}
