import HTTPTypes
import NIOHTTP1
import Tracing

/// Reads a W3C `traceparent` (and `tracestate`) from an incoming request's headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}

/// Writes the current span's `traceparent` into an outgoing request's headers (the relay's).
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}

/// A span's context as text, kept with a relay delivery so that its attempts, even after a
/// restart, continue the trace of the webhook that stored the event and link to its span.
///
/// The text is the W3C `traceparent` header (`00-TRACEID-SPANID-FLAGS`): ids only, nothing
/// from the request.
enum StoredTraceContext {
    private struct TextInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }
    }

    private struct TextExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? {
            carrier[key]
        }
    }

    /// The `traceparent` of `context`'s span, or `nil` when it has none.
    static func text(of context: ServiceContext, tracer: any Tracer) -> String? {
        var carrier: [String: String] = [:]
        tracer.inject(context, into: &carrier, using: TextInjector())
        return carrier["traceparent"]
    }

    /// The remote span context that `text` describes, or `nil` when it is not one.
    static func context(from text: String, tracer: any Tracer) -> ServiceContext? {
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": text], into: &context, using: TextExtractor())
        // An extractor that found nothing leaves the context as it was.
        return Self.text(of: context, tracer: tracer) == nil ? nil : context
    }
}
