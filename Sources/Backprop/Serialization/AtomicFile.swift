import Foundation

/// Writes files atomically: to a temporary name in the same folder, flushed to disk, then renamed
/// into place, so a crash or a kill never leaves half a file under the real name (the reader sees
/// the old file or the new one).
public enum AtomicFile {
    /// Writes `data` to `path`; `beforeCommit` runs after the temporary file is complete and
    /// before the rename (tests use it to kill a process at that moment).
    public static func write(_ data: Data, to path: String, beforeCommit: () -> Void = {}) throws {
        try checkWritable(path)
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        removeLeftovers(for: path, onlyOfDeadProcesses: true)
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
                throw DataError(path, "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
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

    /// Removes temporary files killed writers left for `path` (never the live file): those of
    /// processes that no longer run, or all of them.
    public static func removeLeftovers(for path: String, onlyOfDeadProcesses: Bool = false) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        let prefix = temporaryPrefix(for: url.lastPathComponent)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasPrefix(prefix) {
            if onlyOfDeadProcesses {
                guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            }
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    /// Throws a one-line `DataError` unless a file can be written at `path`: the path is not empty,
    /// not a directory, its folder exists and is writable (and so is the file, if it exists).
    public static func checkWritable(_ path: String) throws {
        guard !path.isEmpty else { throw DataError("(empty path)", "an output path is empty") }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw DataError(path, "is a directory") }
            guard fm.isWritableFile(atPath: path) else { throw DataError(path, "is not writable") }
            return
        }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard fm.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(path, "folder \(dir) does not exist")
        }
        guard fm.isWritableFile(atPath: dir) else { throw DataError(path, "folder \(dir) is not writable") }
    }
}
