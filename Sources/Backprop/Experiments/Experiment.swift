/// A claim of the course, measured over seeds: `measure` runs the experiment and returns its raw
/// results; `report` turns them into a table, a verdict in plain words with the numbers, CSV and
/// an SVG plot. `quick` is the size the tests run (seconds in a release build); the tests assert
/// the claim on it.
///
/// ```swift
/// let e = UniversalApproximationExperiment.quick
/// let report = e.report(try e.measure(on: try Backends.make("simd")) { print($0) })
/// print(report.table, report.verdict)
/// ```
public protocol Experiment: Sendable {
    associatedtype Results: Sendable
    /// The command-line name, e.g. `uat`.
    static var name: String { get }
    /// The claim, one line, for `backprop experiment list`.
    static var claim: String { get }
    /// The version the tests run.
    static var quick: Self { get }
    /// The full version, as in the docs.
    init()
    /// Repetitions with different seeds (initialisation, and data where the experiment draws it).
    var seeds: Int { get set }
    /// The set-up in one line (model, data, optimiser, sizes).
    var setup: String { get }
    /// Runs it; `progress` receives a line per finished run.
    func measure<B: Backend>(on backend: B, progress: (String) -> Void) throws -> Results
    /// Table, verdict, CSV and SVG for `results`.
    func report(_ results: Results) -> ExperimentReport
}

/// What an experiment prints and writes.
public struct ExperimentReport: Sendable {
    /// A Markdown table (mean ± standard deviation over seeds).
    public var table: String
    /// One paragraph in plain words with the numbers, starting "Verdict:".
    public var verdict: String
    /// The raw results, one row per run, with a header.
    public var csv: String
    /// The plot, a standalone SVG document.
    public var svg: String

    public init(table: String, verdict: String, csv: String, svg: String) {
        self.table = table
        self.verdict = verdict
        self.csv = csv
        self.svg = svg
    }
}
