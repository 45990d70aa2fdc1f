import Backprop
import XCTest

/// Finite differences for a recurrent layer through a [steps, batch, inputs] batch: an MSE loss on
/// its output (every step when `many`, else the last), each parameter's gradient and ∂L/∂x against
/// central differences with step `h` (parameters drawn from U(−scale, scale) first).
func checkRecurrentGradients(_ layer: any Layer<RoutedBackend>, steps: Int, batch: Int, many: Bool, h: Float, scale: Float,
                             _ what: String, generator g: inout RandomGenerator,
                             file: StaticString = #filePath, line: UInt = #line) {
    let (inputs, hidden) = (layer.inputSize, layer.outputSize)
    for p in layer.parameters { g.fill(.uniform(low: -scale, high: scale), p.value.data, count: p.count) }
    let x = randomTensor([steps, batch, inputs], &g)
    let t = randomTensor(many ? [steps * batch, hidden] : [batch, hidden], &g)
    let loss = MeanSquaredError(layer.backend), dy = Tensor(shape: t.shape)
    for p in layer.parameters { p.grad.data.update(repeating: 0, count: p.count) }
    func out() -> TensorView {
        let y = layer.forward(TensorView(x), training: true)
        return TensorView(y.data, rows: t.shape[0], cols: hidden)
    }
    _ = loss.compute(out(), TensorView(t), gradient: TensorView(dy))
    let dx = layer.backward(TensorView(dy.data, shape: many ? Shape(steps, batch, hidden) : Shape(rows: batch, cols: hidden)),
                            needsInputGradient: true).array
    let f = { loss.compute(out(), TensorView(t), gradient: nil) }
    for p in layer.parameters {
        assertGradient(p.grad.array, numericGradient(p.value, h: h, f), "\(what) d\(p.name)", file: file, line: line)
    }
    assertGradient(dx, numericGradient(x, h: h, f), "\(what) dx", file: file, line: line)
}
