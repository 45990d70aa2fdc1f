import CWorkerJob
import Foundation
import Synchronization

/// Records a closure's function and context words in `job` (Kernels/CWorkerJob): the workers call
/// it through `backprop_job_call` while `run` waits for them, so it never needs to escape.
@_silgen_name("backprop_job_capture")
private func captureJob(_ job: UnsafeMutablePointer<backprop_job>, _ body: (Int) -> Void)

/// A persistent pool of worker threads that runs one job on `participants` threads at once
/// (the caller is participant 0).
///
/// `DispatchQueue.concurrentPerform` often runs short regions on one thread on a 2-core machine,
/// so the SIMD backend keeps its own threads: each waits for a new job generation, spinning
/// (200 000 polls, a fraction of a millisecond, so that kernels separated by short serial work
/// do not pay a wake-up) and then sleeping on a condition. With 20 000 polls a worker fell
/// asleep between the small per-step kernels of a recurrent layer and the caller spent a fifth
/// of its time in `sched_yield` waiting for it: 200 000 made the LSTM language model's step
/// 1.2x and the Fashion-MNIST MLP epoch 1.3x faster on two threads.
/// Pools are shared per size and live for the process. Jobs must not start other jobs.
/// A run allocates nothing: the workers call the caller's non-escaping closure through its two
/// words (`captureJob`) rather than an escaping copy (`withoutActuallyEscaping` allocates a thunk
/// per call, which made 44 mallocs per step of the two-thread LSTM).
final class WorkerPool: @unchecked Sendable {
    let participants: Int

    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let condition = NSCondition()
    /// The current job's closure words; allocated once, never freed (pools live for the process).
    private let job: UnsafeMutablePointer<backprop_job> = {
        let p = UnsafeMutablePointer<backprop_job>.allocate(capacity: 1)
        p.initialize(to: backprop_job(function: nil, context: nil))
        return p
    }()
    /// Serialises concurrent callers (backends on different threads sharing a pool).
    private let callerLock = NSLock()

    private static let pools = Mutex<[Int: WorkerPool]>([:])

    /// The shared pool with `participants` threads (including the caller).
    static func shared(participants: Int) -> WorkerPool {
        pools.withLock { pools in
            if let p = pools[participants] { return p }
            let p = WorkerPool(participants: participants)
            pools[participants] = p
            return p
        }
    }

    private init(participants: Int) {
        self.participants = max(1, participants)
        for id in 1..<self.participants {
            let t = Thread { [unowned self] in self.workerLoop(id) }
            t.name = "backprop-simd-\(id)"
            t.start()
        }
    }

    private func workerLoop(_ id: Int) {
        _ = FlushToZero.enter()   // pool threads always run the SIMD kernels' floating-point mode
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && spins < 200_000 { spins += 1 }
            if generation.load(ordering: .acquiring) == seen {
                condition.lock()
                while generation.load(ordering: .acquiring) == seen { condition.wait() }
                condition.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            backprop_job_call(job, id)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs `body(t)` for t in 0..<participants, concurrently; returns when all are done.
    func run(_ body: (Int) -> Void) {
        if participants == 1 { body(0); return }
        callerLock.lock()
        defer { callerLock.unlock() }
        captureJob(job, body)
        pending.store(participants - 1, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        condition.lock()
        condition.broadcast()
        condition.unlock()
        body(0)
        var spins = 0
        while pending.load(ordering: .acquiring) != 0 {
            spins += 1
            if spins > 1000 { sched_yield() }
        }
        job.pointee = backprop_job(function: nil, context: nil)
    }

    /// Splits 0..<count into `participants` contiguous ranges whose bounds are multiples of
    /// `granule` (except the end) and runs `body(range)` for each non-empty one. The split
    /// depends only on count, granule and participants, so results are deterministic.
    func forRanges(count: Int, granule: Int, _ body: (Range<Int>) -> Void) {
        forParts(count: count, granule: granule) { _, r in body(r) }
    }

    /// As `forRanges`, also passing the part's index (0 for the first range).
    func forParts(count: Int, granule: Int, _ body: (Int, Range<Int>) -> Void) {
        let units = (count + granule - 1) / granule
        let parts = min(participants, units)
        if parts <= 1 { body(0, 0..<count); return }
        run { t in
            guard t < parts else { return }
            let lo = min(count, (units * t / parts) * granule)
            let hi = min(count, (units * (t + 1) / parts) * granule)
            if lo < hi { body(t, lo..<hi) }
        }
    }
}
