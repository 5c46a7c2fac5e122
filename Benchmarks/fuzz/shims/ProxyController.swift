// The namespace `forwardedQuery` is extracted into (the real controller needs Hummingbird).
enum ProxyController {}
