import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThingBridge
import ThingiverseSimulator

/// Development-mode helpers for the pages: where the webhook URL is, and a button that has the
/// simulator send webhooks to it, so a newcomer sees the dashboard fill. Mounted only when the
/// built-in simulator runs (never in production).
struct DevelopmentController<Context: RequestContext>: Sendable {
    let webhookURL: String
    let simulatorURL: String
    let publicOrigin: String
    let sender: WebhookSender

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("info", use: info)
        routes.post("simulate-webhook", use: simulateWebhook)
        return routes
    }

    struct Info: ResponseEncodable {
        let development: Bool
        let webhook_url: String
        let simulator_url: String
    }

    func info(request: Request, context: Context) async throws -> Info {
        Info(development: true, webhook_url: webhookURL, simulator_url: simulatorURL)
    }

    struct SimulateRequest: Decodable {
        /// One event (`order_created`, ...) or a scenario (`lifecycle`, `shuffled`).
        let event: String?
        let scenario: String?
        let order_id: String?
    }

    struct Delivery: Encodable {
        let event: String
        let status: Int
    }

    struct SimulateReply: ResponseEncodable {
        let order_id: String
        let deliveries: [Delivery]
    }

    func simulateWebhook(request: Request, context: Context) async throws -> SimulateReply {
        // A page of this site only: another site must not make us send webhooks.
        guard SameOriginPolicy(publicURL: publicOrigin).allows(request) else {
            throw AppError(.forbidden, "cross_origin", "Simulated webhooks can only be sent from this site's own pages.")
        }
        let body = try await request.body.collect(upTo: 4096)
        let wanted =
            (try? JSONDecoder().decode(SimulateRequest.self, from: Data(body.readableBytesView)))
            ?? SimulateRequest(event: nil, scenario: nil, order_id: nil)
        let orderID = wanted.order_id.flatMap { $0.allSatisfy(\.isNumber) && !$0.isEmpty ? $0 : nil } ?? String(Int.random(in: 10_000...99_999))
        do {
            if let name = wanted.scenario {
                guard let scenario = WebhookScenario(rawValue: name) else {
                    throw AppError(
                        .badRequest, "unknown_scenario",
                        "scenario must be one of \(WebhookScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                let results = try await sender.runScenario(scenario, to: webhookURL, orderID: orderID)
                return SimulateReply(order_id: orderID, deliveries: results.map { Delivery(event: $0.event, status: $0.status) })
            }
            let event = wanted.event ?? "order_created"
            guard ["ping", "order_created", "refund_requested", "order_refunded"].contains(event) else {
                throw AppError(.badRequest, "unknown_event", "event must be ping, order_created, refund_requested or order_refunded.")
            }
            let payload = event == "ping" ? WebhookPayload.ping() : WebhookPayload.order(event: event, order: .sample(id: orderID))
            let result = try await sender.send(payload, to: webhookURL)
            return SimulateReply(order_id: orderID, deliveries: [Delivery(event: event, status: result.status)])
        } catch let error as AppError {
            throw error
        } catch {
            throw UpstreamError(.unreachable, provider: "The webhook receiver")
        }
    }
}
