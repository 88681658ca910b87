// MARK: - Micro-batching

/// Collects items into batches that close on a count, a cost budget or a wait time.
///
/// A batch closes when it contains ``Limits/maxItems`` items, when its summed cost reaches
/// ``Limits/maxCost``, or when its first item has waited ``Limits/maxWait``. An item that
/// would push a non-empty batch over the budget closes that batch first and starts the next
/// one, so only an item that alone exceeds the budget makes a batch above it.
///
/// The batcher does not read a clock: callers pass the current instant, so tests control time.
public struct MicroBatcher<Item: Sendable>: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Items per batch, at least 1.
        public var maxItems: Int
        /// Summed cost per batch, such as characters of text, at least 1.
        public var maxCost: Int
        /// Longest time the first item of a batch waits for others.
        public var maxWait: Duration

        public init(maxItems: Int, maxCost: Int, maxWait: Duration) {
            self.maxItems = max(1, maxItems)
            self.maxCost = max(1, maxCost)
            self.maxWait = maxWait
        }
    }

    public let limits: Limits
    private var items: [Item] = []
    private var cost = 0
    private var openedAt: ContinuousClock.Instant?

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Items in the open batch.
    public var count: Int { items.count }

    /// When the open batch must close, or `nil` when it is empty.
    public var deadline: ContinuousClock.Instant? {
        openedAt.map { $0 + limits.maxWait }
    }

    /// Adds `item` and returns the batches that closed, oldest first: none, one, or two when
    /// the item closed the open batch on cost and then filled a batch of its own.
    public mutating func append(_ item: Item, cost itemCost: Int, now: ContinuousClock.Instant) -> [[Item]] {
        var closed: [[Item]] = []
        if !items.isEmpty, cost + itemCost > limits.maxCost {
            closed.append(takeAll())
        }
        if items.isEmpty {
            openedAt = now
        }
        items.append(item)
        cost += max(0, itemCost)
        if items.count >= limits.maxItems || cost >= limits.maxCost {
            closed.append(takeAll())
        }
        return closed
    }

    /// Returns the open batch when its wait time is over at `now`, otherwise `nil`.
    public mutating func takeIfDue(now: ContinuousClock.Instant) -> [Item]? {
        guard let deadline, now >= deadline else { return nil }
        return takeAll()
    }

    /// Returns the open batch, which may be empty, and starts a new one.
    public mutating func takeAll() -> [Item] {
        defer {
            items = []
            cost = 0
            openedAt = nil
        }
        return items
    }

    /// Removes the items that match `predicate` from the open batch, such as the messages of
    /// a revoked partition, and returns them. Their cost is given back by `cost`.
    public mutating func removeAll(where predicate: (Item) -> Bool, cost itemCost: (Item) -> Int) -> [Item] {
        let removed = items.filter(predicate)
        guard !removed.isEmpty else { return [] }
        items.removeAll(where: predicate)
        cost = max(0, cost - removed.reduce(0) { $0 + max(0, itemCost($1)) })
        if items.isEmpty {
            openedAt = nil
        }
        return removed
    }
}
