// POSIX.swift: the C library's read and write under names no Swift type here shadows.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX calls, on Linux and macOS alike.
enum POSIX {
    static func readBytes(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        read(fd, buffer.baseAddress, buffer.count)
    }

    static func writeBytes(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        write(fd, buffer.baseAddress, buffer.count)
    }
}
