import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time and peak memory of a running process, read from Linux's `/proc/<pid>`.
///
/// Each reading returns 0 when the file cannot be read or parsed, which happens once the
/// process has been reaped and on systems without `/proc`.
public enum ProcessResources {
    /// Returns the user plus system CPU time of `processIdentifier` so far, in seconds, from
    /// fields 14 and 15 (utime, stime) of `/proc/<pid>/stat`.
    public static func cpuSeconds(of processIdentifier: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(processIdentifier)/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return 0 }
        // The fields after the parenthesised command name start with the state (field 3);
        // utime and stime are fields 14 and 15, in clock ticks.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Returns the peak resident set size of `processIdentifier` in bytes, from `VmHWM` of
    /// `/proc/<pid>/status`.
    public static func peakResidentBytes(of processIdentifier: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }
}
