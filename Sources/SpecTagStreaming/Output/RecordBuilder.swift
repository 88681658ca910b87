import Foundation
import SpecTagAlerts
import SpecTagKafka
import SpecTagLogging
import SpecTagSpeculation

// MARK: - Record builder

/// Builds the output records of one input message: the tagged record and one
/// entity-sentiment record per mention, or a dead-letter record.
public struct RecordBuilder: Sendable {
    public var topics: OutputTopics
    /// The model name written into tagged records.
    public var modelName: String
    /// The drafter name written into tagged records, `none` for greedy decoding.
    public var drafterName: String
    /// Dead-letter records keep at most this many bytes of the original value, so that the
    /// record stays below the broker's maximum message size.
    public var maximumDeadLetterValueBytes: Int

    public init(topics: OutputTopics, modelName: String, drafterName: String, maximumDeadLetterValueBytes: Int = 262_144) {
        self.topics = topics
        self.modelName = modelName
        self.drafterName = drafterName
        self.maximumDeadLetterValueBytes = maximumDeadLetterValueBytes
    }

    // MARK: Tagged output

    /// Returns the tagged record, then the entity-sentiment records in mention order.
    ///
    /// - Parameters:
    ///   - fields: the tagger's output for each of ``NewsMessage/taggedFields``, in order.
    ///   - latency: time from reading the input to now.
    /// - Throws: `EncodingError` when a value cannot be written as JSON, such as a NaN
    ///   probability. The caller sends the message to the dead-letter topic instead.
    public func taggedRecords(
        for message: NewsMessage,
        input: KafkaConsumerMessage,
        fields: [(field: NewsField, tagged: TaggedText)],
        latency: Duration,
        processedAt: Date = Date()
    ) throws -> [OutgoingRecord] {
        let processedAtText = iso8601Milliseconds(processedAt)
        let tagged = taggedRecord(message: message, input: input, fields: fields, latency: latency, processedAt: processedAtText)
        var records = [OutgoingRecord(topic: topics.tagged, key: Data(message.id.utf8), value: try encodeRecordJSON(tagged))]
        for record in entitySentimentRecords(message: message, fields: fields, processedAt: processedAt) {
            records.append(OutgoingRecord(
                topic: topics.entitySentiment,
                key: Data(record.entityKey.utf8),
                value: try record.encodedJSON()
            ))
        }
        return records
    }

    func taggedRecord(
        message: NewsMessage,
        input: KafkaConsumerMessage,
        fields: [(field: NewsField, tagged: TaggedText)],
        latency: Duration,
        processedAt: String
    ) -> TaggedNewsRecord {
        var entities: [TaggedNewsRecord.Entity] = []
        var statistics = DecodingStatistics()
        for (field, tagged) in fields {
            for mention in tagged.entities {
                entities.append(TaggedNewsRecord.Entity(
                    type: mention.type, text: mention.text, field: field, start: mention.start,
                    end: mention.end, confidence: roundedScore(mention.confidence), sentence: mention.sentence
                ))
            }
            statistics.add(tagged.statistics)
        }
        let headlineSentiment = fields.first { $0.field == .headline }.map { SentimentSummary($0.tagged.sentiment) }
        let bodySentiment = fields.first { $0.field == .body }.map { SentimentSummary($0.tagged.sentiment) }
        let allSentences = fields.flatMap(\.tagged.sentenceSentiments)
        let overall = SentimentSummary.mean(of: allSentences) ?? SentimentSummary(label: "", probabilities: [:])

        return TaggedNewsRecord(
            id: message.id,
            source: message.source,
            publishedAt: message.publishedAt,
            tickers: message.tickers,
            language: message.language,
            headline: message.headline,
            entities: entities,
            sentiment: TaggedNewsRecord.Sentiments(headline: headlineSentiment, body: bodySentiment, overall: overall),
            model: modelName,
            drafter: drafterName,
            speculative: TaggedNewsRecord.Speculative(
                sentences: statistics.sentences,
                draftTokens: statistics.draftTokens,
                acceptedTokens: statistics.acceptedTokens,
                acceptanceRate: roundedScore(statistics.acceptanceRate),
                targetPasses: statistics.targetPasses
            ),
            latencyMilliseconds: (Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15).roundedToMicroseconds,
            input: TaggedNewsRecord.InputPosition(
                topic: input.topic, partition: input.partition, offset: input.offset,
                timestamp: input.timestamp.map(iso8601Milliseconds)
            ),
            processedAt: processedAt
        )
    }

    /// Returns one record per mention whose normalized name is not empty; a mention of only
    /// punctuation has no key and is left out. The record type is the alert stage's, so
    /// both sides of the topic share one definition.
    func entitySentimentRecords(
        message: NewsMessage,
        fields: [(field: NewsField, tagged: TaggedText)],
        processedAt: Date
    ) -> [EntitySentimentRecord] {
        // RFC 3339 allows a lower-case "t" and "z"; the parser expects upper case, and no
        // other letters occur in a valid date-time.
        let publishedAt = message.publishedAt.flatMap { Timestamp.milliseconds(parsing: $0.uppercased()) }
        var records: [EntitySentimentRecord] = []
        for (field, tagged) in fields {
            for mention in tagged.entities {
                let key = EntityName.normalize(mention.text)
                guard !key.isEmpty else { continue }
                let sentence = tagged.sentenceSentiments.indices.contains(mention.sentence)
                    ? tagged.sentenceSentiments[mention.sentence]
                    : tagged.sentiment
                let summary = SentimentSummary(sentence)
                records.append(EntitySentimentRecord(
                    entity: mention.text,
                    entityKey: key,
                    entityType: mention.type,
                    messageID: message.id,
                    headline: message.displayHeadline,
                    field: field.rawValue,
                    start: mention.start,
                    end: mention.end,
                    // StreamingService checks at start that the model's labels are these three.
                    sentiment: SentimentLabel(rawValue: summary.label) ?? .neutral,
                    sentimentScore: summary.score,
                    probabilities: SentimentProbabilities(
                        negative: summary.probabilities["negative"] ?? 0,
                        neutral: summary.probabilities["neutral"] ?? 0,
                        positive: summary.probabilities["positive"] ?? 0
                    ),
                    confidence: roundedScore(mention.confidence),
                    publishedAt: publishedAt,
                    processedAt: Timestamp.milliseconds(of: processedAt),
                    source: message.source,
                    tickers: message.tickers
                ))
            }
        }
        return records
    }

    // MARK: Dead letters

    /// Returns the dead-letter record of `input`, keyed by the original key.
    public func deadLetterRecord(for input: KafkaConsumerMessage, rejection: InputRejection, failedAt: Date = Date()) -> OutgoingRecord {
        let value = input.value ?? Data()
        let kept = value.prefix(maximumDeadLetterValueBytes)
        let record = DeadLetterRecord(
            errorCode: rejection.reason,
            errorMessage: rejection.message,
            messageID: rejection.messageID,
            original: DeadLetterRecord.Original(
                topic: input.topic,
                partition: input.partition,
                offset: input.offset,
                timestamp: input.timestamp.map(iso8601Milliseconds),
                keyBase64: input.key.map { $0.base64EncodedString() },
                valueBase64: input.value == nil ? nil : kept.base64EncodedString(),
                valueBytes: value.count,
                valueTruncated: kept.count < value.count
            ),
            failedAt: iso8601Milliseconds(failedAt)
        )
        // JSONEncoder fails only on non-finite floating-point numbers, and this record has
        // none: every field is a string, an integer or a Boolean.
        let encoded = (try? encodeRecordJSON(record)) ?? Data()
        return OutgoingRecord(topic: topics.deadLetter, key: input.key, value: encoded)
    }
}

extension Double {
    /// The value rounded to three decimal places, as milliseconds are reported.
    fileprivate var roundedToMicroseconds: Double {
        (self * 1000).rounded() / 1000
    }
}
