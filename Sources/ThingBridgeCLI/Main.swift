import ThingBridge
@main struct Main { static func main() {} }
