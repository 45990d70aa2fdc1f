import BackpropCore
import BackpropNaive
import XCTest

/// A suite that cannot fail is worthless: each planted fault must be reported, on its op only.
final class PlantedFaultTests: XCTestCase {
    func expectCaught(_ fault: FaultyBackend.Fault, op: OpKind, file: StaticString = #filePath, line: UInt = #line) {
        let report = ConformanceSuite.run(candidate: FaultyBackend(fault), reference: NaiveBackend(), ops: [op])
        XCTAssertFalse(report.passed, "\(fault) was not caught", file: file, line: line)
        XCTAssertEqual(report.failedOps, [op], file: file, line: line)
        XCTAssertTrue(report.failures.allSatisfy { $0.outcome.problem != nil }, file: file, line: line)
    }

    func testGEMMEdgeTileOffByOneIsCaught() { expectCaught(.gemmEdgeOffByOne, op: .gemm) }
    func testWrongActivationDerivativeIsCaught() { expectCaught(.wrongSigmoidDerivative, op: .activationGradient) }
    func testReductionDroppingTheTailIsCaught() { expectCaught(.reductionDropsTail, op: .reduce) }
    func testOutOfBoundsWriteIsCaught() { expectCaught(.fillOverrun, op: .fill) }
    func testNaNSwallowedByMaxIsCaught() { expectCaught(.maxIgnoresNaN, op: .reduce) }
    func testRandomStreamRestartIsCaught() { expectCaught(.randomIgnoresCounter, op: .randomUniform) }
    func testMissingAdamBiasCorrectionIsCaught() { expectCaught(.adamWithoutBiasCorrection, op: .adamStep) }
    func testTransposeDroppingARowIsCaught() { expectCaught(.transposeDropsLastRow, op: .transpose) }
    func testLSTMCellWithoutTheForgetGateIsCaught() { expectCaught(.lstmForgetsForgetGate, op: .lstmCell) }
    func testGRUCellWithoutTheResetGateIsCaught() { expectCaught(.gruForgetsResetGate, op: .gruCell) }
    func testWeightsGEMMDroppingItsTailIsCaught() { expectCaught(.weightsGEMMDropsTail, op: .gemm) }

    func testFaultsOnlyFailTheirOwnOp() {
        // The faulty backend is otherwise the reference: every other op passes.
        let report = ConformanceSuite.run(candidate: FaultyBackend(.wrongSigmoidDerivative), reference: NaiveBackend(),
                                          ops: [.unary, .binary, .softmax, .argmax, .solve])
        XCTAssertTrue(report.passed, "\(report.failures.map(\.name))")
    }

    func testTheReferenceConformsToItself() {
        let report = ConformanceSuite.run(candidate: NaiveBackend(), reference: NaiveBackend())
        XCTAssertTrue(report.passed, "\(report.failures.prefix(5).map { "\($0.name): \($0.outcome.problem ?? "")" })")
        XCTAssertEqual(Set(report.results.map(\.op)), Set(OpKind.allCases), "every op has cases")
    }

    func testCasesAreReproducibleFromTheirNames() {
        let a = ConformanceSuite.cases(matching: "gemm NT m=17 n=33")
        let b = ConformanceSuite.cases(matching: "gemm NT m=17 n=33")
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a.map(\.seed), b.map(\.seed))
        XCTAssertEqual(Set(ConformanceSuite.cases().map(\.name)).count, ConformanceSuite.cases().count, "names are unique")
    }
}
