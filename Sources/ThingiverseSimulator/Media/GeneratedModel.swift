/// The bytes of seeded files: a small ASCII STL (a 20 mm cube) named after the file, so a
/// download opens in any slicer.
enum GeneratedModel {
    /// An ASCII STL solid called `name`.
    static func stl(name: String) -> [UInt8] {
        let solid = name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        // Twelve triangles of a cube, as (normal, three corners), corners on a 0/20 grid.
        let faces: [((Int, Int, Int), [(Int, Int, Int)])] = [
            ((0, 0, -1), [(0, 0, 0), (20, 20, 0), (20, 0, 0)]), ((0, 0, -1), [(0, 0, 0), (0, 20, 0), (20, 20, 0)]),
            ((0, 0, 1), [(0, 0, 20), (20, 0, 20), (20, 20, 20)]), ((0, 0, 1), [(0, 0, 20), (20, 20, 20), (0, 20, 20)]),
            ((0, -1, 0), [(0, 0, 0), (20, 0, 0), (20, 0, 20)]), ((0, -1, 0), [(0, 0, 0), (20, 0, 20), (0, 0, 20)]),
            ((0, 1, 0), [(0, 20, 0), (20, 20, 20), (20, 20, 0)]), ((0, 1, 0), [(0, 20, 0), (0, 20, 20), (20, 20, 20)]),
            ((-1, 0, 0), [(0, 0, 0), (0, 20, 20), (0, 20, 0)]), ((-1, 0, 0), [(0, 0, 0), (0, 0, 20), (0, 20, 20)]),
            ((1, 0, 0), [(20, 0, 0), (20, 20, 0), (20, 20, 20)]), ((1, 0, 0), [(20, 0, 0), (20, 20, 20), (20, 0, 20)]),
        ]
        var text = "solid \(String(solid))\n"
        for (normal, corners) in faces {
            text += "  facet normal \(normal.0) \(normal.1) \(normal.2)\n    outer loop\n"
            for corner in corners {
                text += "      vertex \(corner.0) \(corner.1) \(corner.2)\n"
            }
            text += "    endloop\n  endfacet\n"
        }
        text += "endsolid \(String(solid))\n"
        return Array(text.utf8)
    }
}
