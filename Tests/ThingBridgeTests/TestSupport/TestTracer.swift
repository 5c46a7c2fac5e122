import Foundation
import Synchronization
import Tracing

/// An in-memory tracer handed to one test's application (never bootstrapped globally: tests
/// run in parallel). Spans get sequential ids, carry them in their context, and propagate them
/// as a W3C `traceparent`; ended spans are kept for the test to read.
final class TestTracer: Tracer, Sendable {
    private let nextID = Mutex<UInt64>(1)
    private let ended = Mutex<[TestSpan]>([])

    /// The spans ended so far, oldest first.
    var spans: [TestSpan] { ended.withLock { $0 } }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind, at instant: @autoclosure () -> Instant,
        function: String, file fileID: String, line: UInt
    ) -> TestSpan {
        let parent = context()
        let number = nextID.withLock { value in
            defer { value += 1 }
            return value
        }
        let parentIDs = parent.testSpanIDs
        let ids = TestSpanIDs(traceID: parentIDs?.traceID ?? Self.hex(number, digits: 32), spanID: Self.hex(number, digits: 16))
        var context = parent
        context.testSpanIDs = ids
        return TestSpan(operationName: operationName, kind: kind, context: context, ids: ids, parentSpanID: parentIDs?.spanID) { [weak self] span in
            self?.ended.withLock { $0.append(span) }
        }
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let ids = context.testSpanIDs else { return }
        injector.inject("00-\(ids.traceID)-\(ids.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let value = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = value.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[2].count == 16 else { return }
        context.testSpanIDs = TestSpanIDs(traceID: String(parts[1]), spanID: String(parts[2]))
    }

    private static func hex(_ number: UInt64, digits: Int) -> String {
        let text = String(number, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// A span's ids, as its context carries them.
struct TestSpanIDs: Sendable, Equatable {
    let traceID: String
    let spanID: String
}

private enum TestSpanIDsKey: ServiceContextKey {
    typealias Value = TestSpanIDs
}

extension ServiceContext {
    var testSpanIDs: TestSpanIDs? {
        get { self[TestSpanIDsKey.self] }
        set { self[TestSpanIDsKey.self] = newValue }
    }
}

/// A span of ``TestTracer``: what the code under test set on it.
final class TestSpan: Span, Sendable {
    struct State: Sendable {
        var operationName: String
        var attributes = SpanAttributes()
        var links: [SpanLink] = []
        var status: SpanStatus?
        var ended = false
    }

    let kind: SpanKind
    let context: ServiceContext
    let ids: TestSpanIDs
    let parentSpanID: String?
    private let state: Mutex<State>
    private let onEnd: @Sendable (TestSpan) -> Void

    init(
        operationName: String, kind: SpanKind, context: ServiceContext, ids: TestSpanIDs, parentSpanID: String?,
        onEnd: @escaping @Sendable (TestSpan) -> Void
    ) {
        self.kind = kind
        self.context = context
        self.ids = ids
        self.parentSpanID = parentSpanID
        self.state = Mutex(State(operationName: operationName))
        self.onEnd = onEnd
    }

    var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    var links: [SpanLink] { state.withLock { $0.links } }
    var status: SpanStatus? { state.withLock { $0.status } }
    var isRecording: Bool { state.withLock { !$0.ended } }

    func setStatus(_ status: SpanStatus) { state.withLock { $0.status = status } }
    func addEvent(_ event: SpanEvent) {}
    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
    func addLink(_ link: SpanLink) { state.withLock { $0.links.append(link) } }

    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let first = state.withLock { state in
            defer { state.ended = true }
            return !state.ended
        }
        if first { onEnd(self) }
    }

    /// Every attribute as `key=value` text, for scanning.
    var attributeTexts: [String] {
        var texts: [String] = []
        attributes.forEach { key, value in texts.append("\(key)=\(value)") }
        return texts
    }
}
