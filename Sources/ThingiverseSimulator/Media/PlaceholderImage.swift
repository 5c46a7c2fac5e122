/// Generated stand-ins for avatars and thing photos: a diagonal two-colour gradient with a
/// lighter disc in the middle, coloured from a hash of the image's name so each looks different.
enum PlaceholderImage {
    /// The size variants the API's image URLs use.
    enum Size: String, CaseIterable {
        case thumb
        case preview
        case large

        var dimensions: (width: Int, height: Int) {
            switch self {
            case .thumb: return (96, 96)
            case .preview: return (240, 180)
            case .large: return (480, 360)
            }
        }
    }

    /// PNG bytes for the image called `name` (any text) at `size`.
    static func png(name: String, size: Size) -> [UInt8] {
        let hash = fnv1a(name)
        let first = colour(hue: Double(hash % 360), lightness: 0.55)
        let second = colour(hue: Double((hash / 360) % 360), lightness: 0.35)
        let (width, height) = size.dimensions
        let centreX = Double(width) / 2
        let centreY = Double(height) / 2
        let radius = Double(min(width, height)) * 0.28
        return PNGEncoder.encode(width: width, height: height) { x, y in
            let dx = Double(x) - centreX
            let dy = Double(y) - centreY
            if dx * dx + dy * dy <= radius * radius {
                return (245, 245, 240)
            }
            let t = Double(x + y) / Double(width + height - 2)
            return (
                mix(first.0, second.0, t), mix(first.1, second.1, t), mix(first.2, second.2, t)
            )
        }
    }

    private static func mix(_ a: UInt8, _ b: UInt8, _ t: Double) -> UInt8 {
        UInt8((Double(a) * (1 - t) + Double(b) * t).rounded())
    }

    /// HSL with full saturation to RGB.
    private static func colour(hue: Double, lightness: Double) -> (UInt8, UInt8, UInt8) {
        let chroma = (1 - abs(2 * lightness - 1)) * 0.8
        let h = hue / 60
        let x = chroma * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double)
        switch h {
        case ..<1: (r, g, b) = (chroma, x, 0)
        case ..<2: (r, g, b) = (x, chroma, 0)
        case ..<3: (r, g, b) = (0, chroma, x)
        case ..<4: (r, g, b) = (0, x, chroma)
        case ..<5: (r, g, b) = (x, 0, chroma)
        default: (r, g, b) = (chroma, 0, x)
        }
        let m = lightness - chroma / 2
        return (UInt8(((r + m) * 255).rounded()), UInt8(((g + m) * 255).rounded()), UInt8(((b + m) * 255).rounded()))
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
