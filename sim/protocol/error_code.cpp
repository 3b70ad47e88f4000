#include "protocol/error_code.h"

namespace kafkasim {

const char* error_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::none: return "NONE";
    case ErrorCode::offset_out_of_range: return "OFFSET_OUT_OF_RANGE";
    case ErrorCode::unknown_topic_or_partition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case ErrorCode::leader_not_available: return "LEADER_NOT_AVAILABLE";
    case ErrorCode::not_leader_or_follower: return "NOT_LEADER_OR_FOLLOWER";
    case ErrorCode::request_timed_out: return "REQUEST_TIMED_OUT";
    case ErrorCode::network_exception: return "NETWORK_EXCEPTION";
    case ErrorCode::coordinator_not_available: return "COORDINATOR_NOT_AVAILABLE";
    case ErrorCode::not_coordinator: return "NOT_COORDINATOR";
    case ErrorCode::not_enough_replicas: return "NOT_ENOUGH_REPLICAS";
    case ErrorCode::not_enough_replicas_after_append: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
    case ErrorCode::stale_controller_epoch: return "STALE_CONTROLLER_EPOCH";
    case ErrorCode::illegal_generation: return "ILLEGAL_GENERATION";
    case ErrorCode::unknown_member_id: return "UNKNOWN_MEMBER_ID";
    case ErrorCode::invalid_session_timeout: return "INVALID_SESSION_TIMEOUT";
    case ErrorCode::rebalance_in_progress: return "REBALANCE_IN_PROGRESS";
    case ErrorCode::member_id_required: return "MEMBER_ID_REQUIRED";
    case ErrorCode::fenced_instance_id: return "FENCED_INSTANCE_ID";
    case ErrorCode::inconsistent_group_protocol: return "INCONSISTENT_GROUP_PROTOCOL";
    case ErrorCode::commit_failed: return "COMMIT_FAILED";
    case ErrorCode::out_of_order_sequence_number: return "OUT_OF_ORDER_SEQUENCE_NUMBER";
    case ErrorCode::duplicate_sequence_number: return "DUPLICATE_SEQUENCE_NUMBER";
    case ErrorCode::not_controller: return "NOT_CONTROLLER";
    case ErrorCode::invalid_producer_epoch: return "INVALID_PRODUCER_EPOCH";
    case ErrorCode::kafka_storage_error: return "KAFKA_STORAGE_ERROR";
    case ErrorCode::fenced_leader_epoch: return "FENCED_LEADER_EPOCH";
    case ErrorCode::unknown_leader_epoch: return "UNKNOWN_LEADER_EPOCH";
    case ErrorCode::invalid_update_version: return "INVALID_UPDATE_VERSION";
    case ErrorCode::ineligible_replica: return "INELIGIBLE_REPLICA";
    case ErrorCode::delivery_timeout: return "DELIVERY_TIMEOUT";
    case ErrorCode::buffer_exhausted: return "BUFFER_EXHAUSTED";
  }
  return "UNKNOWN";
}

bool is_retriable(ErrorCode code) {
  switch (code) {
    case ErrorCode::unknown_topic_or_partition:
    case ErrorCode::leader_not_available:
    case ErrorCode::not_leader_or_follower:
    case ErrorCode::request_timed_out:
    case ErrorCode::network_exception:
    case ErrorCode::not_enough_replicas:
    case ErrorCode::not_enough_replicas_after_append:
    case ErrorCode::kafka_storage_error:
    case ErrorCode::fenced_leader_epoch:
    case ErrorCode::unknown_leader_epoch:
      return true;
    default:
      return false;
  }
}

}  // namespace kafkasim
