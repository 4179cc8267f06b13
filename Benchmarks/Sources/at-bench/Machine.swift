// Machine.swift: describes the machine the numbers were taken on.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

enum Machine {
    /// CPU model, core count and build settings, one line each.
    static func describe() -> String {
        var lines = ["# at-bench"]
        lines.append("- CPU: \(cpuModel()), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) online cores (nproc)")
        #if DEBUG
            lines.append("- build: DEBUG (numbers are meaningless; use -c release)")
        #else
            lines.append("- build: release")
        #endif
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `model name` of /proc/cpuinfo, or "unknown".
    static func cpuModel() -> String {
        guard let text = readText("/proc/cpuinfo") else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return String(line[line.index(after: colon)...].drop { $0 == " " }) }
        }
        return "unknown"
    }

    /// A small text file, read whole.
    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
