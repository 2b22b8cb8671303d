#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Random access to a time-tag file's bytes: a file read with `pread` (nothing of it held in memory
/// but what a caller asks for), or bytes already in memory. Safe to share between threads: `pread`
/// has no file position.
public struct TTTRBytes: Sendable {
    enum Storage: Sendable {
        case memory([UInt8])
        case file(OpenFile)
    }

    /// An open file descriptor, closed when the last copy goes.
    final class OpenFile: Sendable {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    let storage: Storage
    /// The file's size in bytes.
    public let count: Int

    /// Bytes already in memory.
    public init(_ bytes: [UInt8]) {
        storage = .memory(bytes)
        count = bytes.count
    }

    /// Opens a file for reading.
    /// - Throws: ``TTTRFileError/unreadable(message:)`` when it cannot be opened or is not a regular file.
    public init(contentsOf url: URL) throws(TTTRFileError) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(message: "cannot open \(url.path): \(String(cString: strerror(errno)))") }
        let file = OpenFile(fd: fd)
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(message: "cannot stat \(url.path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(message: "\(url.path) is not a regular file") }
        storage = .file(file)
        count = Int(st.st_size)
    }

    /// Copies `length` bytes from `offset` into `buffer`.
    /// - Throws: ``TTTRFileError/truncated(offset:needed:)`` past the end (a file that shrank while read),
    ///   ``TTTRFileError/unreadable(message:)`` on an I/O error.
    func copy(at offset: Int, length: Int, into buffer: UnsafeMutableRawPointer) throws(TTTRFileError) {
        guard offset >= 0, length >= 0, length <= count - offset else {
            throw .truncated(offset: count, needed: offset + length - count)
        }
        switch storage {
        case let .memory(bytes):
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + offset, byteCount: length) }
        case let .file(file):
            var done = 0
            while done < length {
                let n = pread(file.fd, buffer + done, length - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw .unreadable(message: "byte \(offset + done): \(String(cString: strerror(errno)))") }
                guard n > 0 else { throw .truncated(offset: offset + done, needed: length - done) }
                done += n
            }
        }
    }

    /// `length` bytes from `offset`, or as many as the file has from there.
    func bytes(at offset: Int, length: Int) throws(TTTRFileError) -> [UInt8] {
        let n = max(0, min(length, count - offset))
        var out = [UInt8](repeating: 0, count: n)
        if n > 0 {
            let failure = out.withUnsafeMutableBytes { raw -> TTTRFileError? in
                do throws(TTTRFileError) { try copy(at: offset, length: n, into: raw.baseAddress!) } catch { return error }
                return nil
            }
            if let failure { throw failure }
        }
        return out
    }
}
