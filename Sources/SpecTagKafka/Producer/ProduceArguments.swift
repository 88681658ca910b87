import CRdKafka
import Foundation

// MARK: - rd_kafka_produceva arguments

/// Builds the `rd_kafka_vu_t` array of one `rd_kafka_produceva` call.
///
/// Strings and bytes are copied into C memory that lives as long as this object. The
/// message is produced with `RD_KAFKA_MSG_F_COPY` and librdkafka copies headers, so the
/// memory may be freed as soon as `rd_kafka_produceva` returns.
final class ProduceArguments {
    private(set) var values: [rd_kafka_vu_t] = []
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for allocation in allocations {
            free(allocation)
        }
    }

    func addTopic(_ topic: String) {
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_TOPIC
        value.u.cstr = UnsafePointer(copy(topic))
        values.append(value)
    }

    func addPartition(_ partition: Int32) {
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_PARTITION
        value.u.i32 = partition
        values.append(value)
    }

    /// Adds the key; `nil` leaves the key null.
    func addKey(_ key: Data?) {
        guard let key else { return }
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_KEY
        value.u.mem.ptr = copy(key)
        value.u.mem.size = key.count
        values.append(value)
    }

    /// Adds the payload; `nil` makes a null value (a tombstone in compacted topics), while
    /// empty data makes an empty value.
    func addPayload(_ payload: Data?) {
        guard let payload else { return }
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_VALUE
        value.u.mem.ptr = copy(payload)
        value.u.mem.size = payload.count
        values.append(value)
    }

    func addHeader(_ header: KafkaHeader) {
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_HEADER
        value.u.header.name = UnsafePointer(copy(header.name))
        if let bytes = header.value {
            value.u.header.val = UnsafeRawPointer(copy(bytes))
            value.u.header.size = bytes.count
        } else {
            value.u.header.val = nil
            value.u.header.size = 0
        }
        values.append(value)
    }

    func addOpaque(_ identifier: UInt) {
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_OPAQUE
        value.u.ptr = UnsafeMutableRawPointer(bitPattern: identifier)
        values.append(value)
    }

    func addFlags(_ flags: Int32) {
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_MSGFLAGS
        value.u.i = flags
        values.append(value)
    }

    // MARK: Copies

    private func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(string.utf8CString)
        let memory = allocate(bytes.count).bindMemory(to: CChar.self, capacity: bytes.count)
        memory.update(from: bytes, count: bytes.count)
        return memory
    }

    private func copy(_ data: Data) -> UnsafeMutableRawPointer {
        // One byte more than needed, so that empty data still gets a non-null pointer.
        let memory = allocate(data.count + 1)
        data.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress {
                memory.copyMemory(from: base, byteCount: buffer.count)
            }
        }
        return memory
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let memory = malloc(byteCount) else {
            preconditionFailure("malloc(\(byteCount)) failed while copying a Kafka message")
        }
        allocations.append(memory)
        return memory
    }
}
