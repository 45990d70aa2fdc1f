/// The processes of a data-parallel run and the collective operations between them: the small
/// contract `Trainer` needs to train one model on several processes (or machines).
///
/// Every process (rank 0 ..< size) holds the whole model and calls each operation in the same
/// order; the operations return when every rank has called them. `SingleProcess` is the
/// one-process communicator (every operation is the identity); `MPICommunicator` (module
/// `BackpropMPI`, built with the `MPI` package trait) runs them on Open MPI.
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, 0 ..< size.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// A short description for logs, e.g. `Open MPI 4.1.4, 2 ranks`.
    var description: String { get }
    /// Replaces `buffer` on every rank with the element-wise sum over all ranks.
    func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws
    /// As above, for a few Doubles (metrics: loss sums, counts).
    func allReduceSum(_ values: inout [Double]) throws
    /// Copies `root`'s `buffer` to every other rank.
    func broadcast(_ buffer: UnsafeMutablePointer<Float>, count: Int, root: Int) throws
    /// Returns once every rank has called it.
    func barrier() throws
}

extension Communicator {
    /// Whether this rank writes files and prints (rank 0).
    public var isLeader: Bool { rank == 0 }

    /// Rows `start ..< start + count` of a global batch split into `size` near-equal contiguous
    /// slices: this rank's slice (the first `count % size` ranks get one row more).
    public func slice(of count: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}

/// The one-process communicator: rank 0 of 1, every operation the identity.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public var description: String { "one process" }
    public func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws {}
    public func allReduceSum(_ values: inout [Double]) throws {}
    public func broadcast(_ buffer: UnsafeMutablePointer<Float>, count: Int, root: Int) throws {}
    public func barrier() throws {}
}

/// A collective operation failed (a rank died, the network broke).
public struct CommunicationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}
