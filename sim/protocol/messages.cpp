#include "protocol/messages.h"

namespace kafkasim {
namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

int64_t wire_size(const MessageBody& body) {
  return std::visit(
      overloaded{
          [](const MetadataRequest&) -> int64_t { return kRequestHeaderBytes; },
          [](const MetadataResponse& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.partitions.size());
          },
          [](const ProduceRequest& r) -> int64_t {
            int64_t n = kRequestHeaderBytes;
            for (const auto& [tp, batch] : r.batches) n += kPartitionEntryBytes + batch.bytes;
            return n;
          },
          [](const ProduceResponse& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.results.size());
          },
          [](const FetchRequest& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.partitions.size());
          },
          [](const FetchResponse& r) -> int64_t {
            int64_t n = kRequestHeaderBytes;
            for (const auto& p : r.partitions) {
              n += kPartitionEntryBytes;
              for (const auto& b : p.batches) n += b.bytes;
            }
            return n;
          },
          [](const ListOffsetsRequest& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.partitions.size());
          },
          [](const ListOffsetsResponse& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.offsets.size());
          },
          [](const OffsetCommitRequest& r) -> int64_t {
            return kRequestHeaderBytes + static_cast<int64_t>(r.group_id.size()) +
                   kPartitionEntryBytes * static_cast<int64_t>(r.offsets.size());
          },
          [](const OffsetCommitResponse&) -> int64_t { return kRequestHeaderBytes; },
          [](const OffsetFetchRequest& r) -> int64_t {
            return kRequestHeaderBytes + static_cast<int64_t>(r.group_id.size()) +
                   kPartitionEntryBytes * static_cast<int64_t>(r.partitions.size());
          },
          [](const OffsetFetchResponse& r) -> int64_t {
            return kRequestHeaderBytes + kPartitionEntryBytes * static_cast<int64_t>(r.offsets.size());
          },
      },
      body);
}

const char* message_name(const MessageBody& body) {
  static const char* const names[] = {"Metadata",    "MetadataResponse",    "Produce",      "ProduceResponse",
                                      "Fetch",       "FetchResponse",       "ListOffsets",  "ListOffsetsResponse",
                                      "OffsetCommit", "OffsetCommitResponse", "OffsetFetch", "OffsetFetchResponse"};
  return names[body.index()];
}

}  // namespace kafkasim
