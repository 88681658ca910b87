/// A dense row-major matrix of `Float`, the activation type of every layer.
///
/// Rows are tokens (or words) and columns are features, so a batch of sentences is a
/// matrix whose rows are the tokens of every sentence, one sentence after another.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public let columns: Int
    /// The elements, row after row: element `(r, c)` is `values[r * columns + c]`.
    public var values: [Float]

    /// Creates a matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// Creates a matrix of `rows` copies of `row`, writing each element once.
    public init(rows: Int, repeatingRow row: [Float]) {
        precondition(rows >= 0, "matrix dimensions must not be negative")
        let columns = row.count
        self.rows = rows
        self.columns = columns
        self.values = [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initializedCount in
            guard let target = buffer.baseAddress, columns > 0 else {
                initializedCount = 0
                return
            }
            row.withUnsafeBufferPointer { source in
                for index in 0 ..< rows {
                    (target + index * columns).initialize(from: source.baseAddress!, count: columns)
                }
            }
            initializedCount = rows * columns
        }
    }

    /// Creates a matrix from row-major values.
    /// - Important: `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "matrix needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Returns one row as an array.
    public func row(_ index: Int) -> [Float] {
        Array(values[index * columns ..< (index + 1) * columns])
    }

    /// Returns the rows in `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns, values: Array(values[range.lowerBound * columns ..< range.upperBound * columns]))
    }

    /// Returns a matrix made of the given rows of `self`, in that order.
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for (position, index) in indices.enumerated() {
                    let from = source.baseAddress! + index * columns
                    (target.baseAddress! + position * columns).update(from: from, count: columns)
                }
            }
        }
        return result
    }

    /// Appends the rows of `other`, which must have the same number of columns.
    public mutating func appendRows(_ other: Matrix) {
        precondition(other.columns == columns, "cannot append rows of \(other.columns) columns to \(columns)")
        values.append(contentsOf: other.values)
        rows += other.rows
    }

    /// Adds `other` element by element.
    public mutating func add(_ other: Matrix) {
        precondition(other.rows == rows && other.columns == columns, "matrix shapes differ")
        values.withUnsafeMutableBufferPointer { target in
            other.values.withUnsafeBufferPointer { source in
                for index in 0 ..< target.count { target[index] += source[index] }
            }
        }
    }
}
