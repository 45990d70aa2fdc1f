// Built with the `MPI` package trait only (`swift build --traits MPI`); without it this module is
// empty and nothing needs Open MPI.
#if MPI
import Backprop
import CMPI
import Foundation

/// A `Communicator` on Open MPI's `MPI_COMM_WORLD`: the ranks `mpirun -np N` starts, on one
/// machine or many (a hostfile). All-reduce and broadcast are MPI's (`MPI_Allreduce` with
/// `MPI_SUM`, `MPI_Bcast`), tuned by Open MPI for shared memory and networks.
///
/// Errors return (`MPI_ERRORS_RETURN`) and are thrown as `CommunicationError`; a rank that dies
/// makes `mpirun` end the job. Call `MPICommunicator.start()` once per process and `finish()` at
/// the end; `abort(_:)` ends every rank of the job with a message.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let comm: MPI_Comm

    /// Initialises MPI (once per process) and joins `MPI_COMM_WORLD`.
    public static func start() throws -> MPICommunicator {
        var initialised: Int32 = 0
        MPI_Initialized(&initialised)
        if initialised == 0 {
            let status = MPI_Init(nil, nil)
            guard status == backprop_mpi_success() else { throw CommunicationError("MPI_Init failed: \(errorText(status))") }
        }
        guard let comm = backprop_mpi_comm_world() else { throw CommunicationError("MPI_COMM_WORLD is not available") }
        MPI_Comm_set_errhandler(comm, backprop_mpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(comm, &rank)
        MPI_Comm_size(comm, &size)
        return MPICommunicator(comm: comm, rank: Int(rank), size: Int(size))
    }

    private init(comm: MPI_Comm, rank: Int, size: Int) {
        self.comm = comm
        self.rank = rank
        self.size = size
    }

    public var description: String {
        var major: Int32 = 0, minor: Int32 = 0
        MPI_Get_version(&major, &minor)
        return "MPI \(major).\(minor) (Open MPI), \(size) ranks"
    }

    static func errorText(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(backprop_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &buffer, &length)
        return String(decoding: buffer.prefix(Int(max(length, 0))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status == backprop_mpi_success() else {
            throw CommunicationError("rank \(rank) of \(size): \(what) failed: \(Self.errorText(status))")
        }
    }

    public func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws {
        guard size > 1, count > 0 else { return }
        precondition(count <= Int(Int32.max), "all-reduce of \(count) floats: more than MPI counts in one call")
        try check(MPI_Allreduce(backprop_mpi_in_place(), buffer, Int32(count),
                                backprop_mpi_float(), backprop_mpi_sum(), comm), "MPI_Allreduce")
    }

    public func allReduceSum(_ values: inout [Double]) throws {
        guard size > 1, !values.isEmpty else { return }
        let n = Int32(values.count)
        try values.withUnsafeMutableBufferPointer { p in
            try check(MPI_Allreduce(backprop_mpi_in_place(), p.baseAddress, n, backprop_mpi_double(), backprop_mpi_sum(), comm), "MPI_Allreduce")
        }
    }

    public func broadcast(_ buffer: UnsafeMutablePointer<Float>, count: Int, root: Int) throws {
        guard size > 1, count > 0 else { return }
        try check(MPI_Bcast(buffer, Int32(count), backprop_mpi_float(), Int32(root), comm), "MPI_Bcast")
    }

    public func barrier() throws {
        guard size > 1 else { return }
        try check(MPI_Barrier(comm), "MPI_Barrier")
    }

    /// Ends every rank of the job: prints `message` (prefixed with this rank) on stderr, then
    /// `MPI_Abort` with `code`.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("rank \(rank) of \(size): \(message)\n".utf8))
        MPI_Abort(comm, code)
        exit(code)
    }

    /// Finalises MPI (at the end of a successful run).
    public func finish() {
        MPI_Finalize()
    }
}
#endif
