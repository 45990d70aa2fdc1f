import Foundation

/// Writes files atomically: to a temporary name in the same folder, flushed to disk, then renamed
/// into place, so a crash or a kill never leaves half a file under the real name (the reader sees
/// the old file or the new one).
public enum AtomicFile {
    /// Writes `data` to `path`; `beforeCommit` runs after the temporary file is complete and
    /// before the rename (tests use it to kill a process at that moment).
    public static func write(_ data: Data, to path: String, beforeCommit: () -> Void = {}) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(path, "folder \(dir.path) does not exist")
        }
        let tmp = dir.appendingPathComponent(temporaryPrefix(for: url.lastPathComponent) + "\(ProcessInfo.processInfo.processIdentifier)")
        do {
            guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
                throw DataError(path, "cannot create a file in \(dir.path)")
            }
            let handle = try FileHandle(forWritingTo: tmp)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            beforeCommit()
            if rename(tmp.path, url.path) != 0 {
                throw DataError(path, "cannot rename the temporary file into place (errno \(errno))")
            }
        } catch let e as DataError {
            try? FileManager.default.removeItem(at: tmp)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw DataError(path, "cannot write: \(error.localizedDescription)")
        }
    }

    /// The prefix of the temporary files `write` makes for a file named `name`.
    public static func temporaryPrefix(for name: String) -> String { ".\(name).tmp-" }

    /// Removes temporary files a killed writer left for `path` (not the live file).
    public static func removeLeftovers(for path: String) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(for: url.lastPathComponent)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }
}
