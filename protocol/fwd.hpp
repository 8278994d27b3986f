#pragma once

// Forward declarations for headers that only pass protocol types around.

namespace tryon::protocol {

enum class error_code;
enum class image_kind;

struct parse_error;
struct client_frame_header;
struct init_session_msg;
struct control_msg;
struct capture_msg;
struct ping_msg;
struct stream_config;
struct ai_session_initialized;
struct ai_session_error;
struct ai_frame_error;
struct ai_processed_header;
struct ai_init_request;
struct ai_close_request;
struct ai_frame_request_header;
struct multipart_part_info;

class multipart_parser;

} // namespace tryon::protocol
