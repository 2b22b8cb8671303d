import Foundation

/// A file holding secrets (a tokens file, a bearer token): read only if no one but its owner may read it.
public enum SecretFile {
    public enum Failure: Error, Sendable, Equatable {
        case unreadable(path: String, message: String)
        /// Group or others may read the file; its mode in octal.
        case readableByOthers(path: String, mode: String)
    }

    /// The file's text, or why it may not be used.
    public static func read(_ path: String) throws(Failure) -> String {
        let mode: Int
        do {
            mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        } catch { throw .unreadable(path: path, message: error.localizedDescription) }
        guard mode & 0o077 == 0 else { throw .readableByOthers(path: path, mode: String(mode, radix: 8)) }
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, message: error.localizedDescription)
        }
    }
}
