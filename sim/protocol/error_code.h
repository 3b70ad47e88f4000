// Kafka's protocol error codes, carried in responses (simulated failures are values, never exceptions).
#pragma once

#include <cstdint>

namespace kafkasim {

enum class ErrorCode : int16_t {
  none = 0,
  offset_out_of_range = 1,
  unknown_topic_or_partition = 3,
  leader_not_available = 5,
  not_leader_or_follower = 6,
  request_timed_out = 7,
  network_exception = 13,  // client side: the connection failed or timed out
  coordinator_not_available = 15,
  not_coordinator = 16,
  not_enough_replicas = 19,
  not_enough_replicas_after_append = 20,
  stale_controller_epoch = 11,
  illegal_generation = 22,
  unknown_member_id = 25,
  invalid_session_timeout = 26,
  rebalance_in_progress = 27,
  member_id_required = 79,
  fenced_instance_id = 82,
  inconsistent_group_protocol = 23,
  out_of_order_sequence_number = 45,
  duplicate_sequence_number = 46,
  not_controller = 41,
  invalid_producer_epoch = 47,
  kafka_storage_error = 56,
  fenced_leader_epoch = 74,
  unknown_leader_epoch = 75,
  invalid_update_version = 95,
  ineligible_replica = 107,
  delivery_timeout = -100,  // client side: delivery.timeout.ms expired (a TimeoutException in Kafka)
  buffer_exhausted = -101,  // client side: send() blocked longer than max.block.ms
  commit_failed = -102,     // client side: a commit refused because the member is no longer in the group
                            // (Kafka's CommitFailedException, thrown without a request)
};

const char* error_name(ErrorCode code);

// Whether a producer retries a batch that failed with this error (Kafka's RetriableException).
bool is_retriable(ErrorCode code);

}  // namespace kafkasim
