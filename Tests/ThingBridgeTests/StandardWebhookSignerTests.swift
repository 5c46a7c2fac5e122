import Foundation
import Testing

@testable import ThingBridge

/// The relay's signatures against the Standard Webhooks spec's own test vector.
@Suite struct StandardWebhookSignerTests {
    @Test func theSpecsTestVectorSignsAsTheSpecSays() throws {
        let signer = try StandardWebhookSigner(secrets: [Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")])
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func aRotatingSecretGivesOneSignaturePerSecretNewestFirst() throws {
        let old = Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let new = StandardWebhookSigner.newSecret()
        let both = try StandardWebhookSigner(secrets: [new, old]).signature(id: "msg_1", timestamp: 1, body: [])
        let parts = both.split(separator: " ").map(String.init)
        #expect(parts.count == 2)
        #expect(parts[0] == (try StandardWebhookSigner(secrets: [new]).signature(id: "msg_1", timestamp: 1, body: [])))
        #expect(parts[1] == (try StandardWebhookSigner(secrets: [old]).signature(id: "msg_1", timestamp: 1, body: [])))
        // Any change to what is signed changes the signature.
        #expect(parts[1] != (try StandardWebhookSigner(secrets: [old]).signature(id: "msg_1", timestamp: 2, body: [])))
    }

    @Test func secretsThatAreNotWhsecOrTooShortAreRefused() {
        #expect(throws: StandardWebhookSigner.SecretError.notWhsec) {
            try StandardWebhookSigner(secrets: [Secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")])
        }
        #expect(throws: StandardWebhookSigner.SecretError.notWhsec) { try StandardWebhookSigner(secrets: [Secret("whsec_not base64!")]) }
        #expect(throws: StandardWebhookSigner.SecretError.badLength(3)) { try StandardWebhookSigner(secrets: [Secret("whsec_YWJj")]) }
        #expect(StandardWebhookSigner.newSecret().value.hasPrefix("whsec_"))
    }
}
