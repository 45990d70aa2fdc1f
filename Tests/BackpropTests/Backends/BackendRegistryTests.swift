import Backprop
import Foundation
import Synchronization
import XCTest

final class BackendRegistryTests: XCTestCase {
    func testUnknownNameListsTheAvailableOnes() {
        let r = BackendRegistry()
        r.register(BackendEntry(name: "one", summary: "") { _ in NaiveBackend(name: "one") })
        r.register(BackendEntry(name: "two", summary: "") { _ in NaiveBackend(name: "two") })
        XCTAssertThrowsError(try r.make("nope")) { e in
            XCTAssertEqual("\(e)", "unknown backend 'nope'; available backends: one, two")
        }
        XCTAssertEqual(try r.make("two").name, "two")
    }

    func testThreadsMustBePositive() {
        let r = BackendRegistry()
        r.register(BackendEntry(name: "one", summary: "") { _ in NaiveBackend() })
        XCTAssertThrowsError(try r.make("one", options: BackendOptions(threads: 0)))
    }

    func testOptionWinsOverEnvironment() {
        XCTAssertEqual(BackendRegistry.selectedName(option: "blas", environment: ["BACKPROP_BACKEND": "naive"]), "blas")
        XCTAssertEqual(BackendRegistry.selectedName(option: nil, environment: ["BACKPROP_BACKEND": "naive"]), "naive")
        XCTAssertEqual(BackendRegistry.selectedName(option: nil, environment: [:]), "auto")
    }

    /// The shared registry has the built-ins from its first use, with no other call before it.
    func testSharedRegistryHasTheBuiltInsOnFirstUse() throws {
        XCTAssertEqual(Array(BackendRegistry.shared.names.prefix(4)), ["naive", "simd", "blas", "auto"])
        XCTAssertEqual(try BackendRegistry.shared.make("simd").name, "simd")
    }

    /// The routing tables in `Backends`' documentation, group by group.
    func testBuiltInRoutesMatchTheirDocumentation() throws {
        let documented: [String: [KernelGroup: String]] = [
            "naive": Dictionary(uniqueKeysWithValues: KernelGroup.allCases.map { ($0, "naive") }),
            "simd": [.gemm: "simd", .vector: "simd", .elementwise: "simd", .reduction: "simd", .random: "simd",
                     .optimizer: "simd", .solver: "naive"],
            "blas": [.gemm: "openblas", .vector: "openblas", .elementwise: "simd", .reduction: "simd", .random: "simd",
                     .optimizer: "simd", .solver: "openblas"],
            "auto": [.gemm: "simd", .vector: "simd", .elementwise: "simd", .reduction: "simd", .random: "simd",
                     .optimizer: "simd", .solver: "openblas"],
        ]
        for (name, table) in documented {
            let b = try Backends.make(name, threads: 2)
            for g in KernelGroup.allCases {
                XCTAssertEqual(b.routes.provider(for: g).name, table[g], "\(name) \(g)")
            }
        }
        // auto runs no GEMM shape on OpenBLAS today, and its solver is single-threaded OpenBLAS.
        let auto = try Backends.make("auto", threads: 2)
        XCTAssertNil(auto.routes.gemmException)
        XCTAssertEqual(auto.routes.solver.threads, 1)
        XCTAssertEqual(auto.routes.elementwise.threads, 2)
        XCTAssertFalse(auto.leavesThreadsSpinning)
        XCTAssertTrue(try Backends.make("blas", threads: 2).leavesThreadsSpinning)
    }

    /// A GEMM exception sends the shapes it names to its provider, and only those.
    func testGEMMExceptionRoutesByShape() throws {
        final class Counting: NaiveBackend, @unchecked Sendable {
            var calls = 0
            override func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
                calls += 1
                super.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
        }
        let big = Counting(name: "big"), small = Counting(name: "small")
        var routes = Routes(all: small)
        routes.gemmException = GEMMException(kernels: big, rule: "k ≥ 8") { $0.k >= 8 }
        let b = RoutedBackend(name: "x", routes: routes)
        var a = [Float](repeating: 1, count: 16), c = [Float](repeating: 0, count: 4)
        b.gemm(.none, .none, m: 2, n: 2, k: 8, alpha: 1, a: a, lda: 8, b: a, ldb: 2, beta: 0, c: &c, ldc: 2)
        b.gemm(.none, .none, m: 2, n: 2, k: 4, alpha: 1, a: a, lda: 4, b: a, ldb: 2, beta: 0, c: &c, ldc: 2)
        a[0] = 0
        XCTAssertEqual([big.calls, small.calls], [1, 1])
        XCTAssertEqual(routes.table[1].group, "gemm when")
        XCTAssertEqual(routes.table[1].ops, "k ≥ 8")
    }

    /// simd (and auto) on two threads splits into two single-threaded partitions that run at the
    /// same time on different threads (partition 0 on the caller); one thread, naive and OpenBLAS
    /// do not split.
    func testSIMDOnTwoThreadsRunsTwoPartitionsAtOnce() throws {
        XCTAssertEqual(try Backends.make("simd", threads: 1).partitionCount, 1)
        XCTAssertEqual(try Backends.make("naive", threads: 2).partitionCount, 1)
        XCTAssertEqual(try Backends.make("blas", threads: 2).partitionCount, 1)
        // auto (the default) keeps its LAPACKE solver shared: the other groups split.
        XCTAssertEqual(try Backends.make("auto", threads: 2).partitionCount, 2)
        let simd = try Backends.make("simd", threads: 2)
        XCTAssertEqual(simd.partitionCount, 2)
        XCTAssertEqual([0, 1].map { simd.partition($0).threads }, [1, 1])
        XCTAssertFalse(simd.partition(0) === simd.partition(1))
        XCTAssertEqual(simd.partition(0).partitionCount, 1)
        let caller = pthread_self()
        let threads = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 2)
        threads.initialize(repeating: nil, count: 2)
        defer { threads.deallocate() }
        let arrived = Atomic<Int>(0)
        let met = Atomic<Int>(0)
        simd.forEachPartition { p, backend in
            threads[p] = pthread_self()
            // Each waits (up to ~1 s) for the other to arrive: only partitions that run at once meet.
            arrived.add(1, ordering: .sequentiallyConsistent)
            let start = Date()
            while arrived.load(ordering: .sequentiallyConsistent) < 2 && Date().timeIntervalSince(start) < 1 {}
            if arrived.load(ordering: .sequentiallyConsistent) == 2 { met.add(1, ordering: .sequentiallyConsistent) }
            // Each partition's kernels work on their own.
            let a: [Float] = [1, 2, 3], out = UnsafeMutablePointer<Float>.allocate(capacity: 3)
            defer { out.deallocate() }
            a.withUnsafeBufferPointer { backend.unary(.square, $0.baseAddress!, out, count: 3) }
            XCTAssertEqual(Array(UnsafeBufferPointer(start: out, count: 3)), [1, 4, 9])
        }
        XCTAssertEqual(met.load(ordering: .sequentiallyConsistent), 2, "the two partitions ran at the same time")
        XCTAssertTrue(pthread_equal(threads[0]!, caller) != 0, "partition 0 runs on the caller")
        XCTAssertTrue(pthread_equal(threads[1]!, caller) == 0, "partition 1 runs on another thread")
    }
}
