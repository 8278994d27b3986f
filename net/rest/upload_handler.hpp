#pragma once

#include "net/rest/rest_context.hpp"
#include "net/rest/upload_sink.hpp"

namespace tryon::net::rest {

/// Admission of an upload from its headers alone, before any body byte is
/// read or any file opened: authenticates and charges the caller's upload
/// quotas (`declared_bytes`: the Content-Length, or the size limit when
/// chunked). The caller, or the 401/429 to send.
std::variant<persistence::user, http_response>
admit_upload(rest_context& ctx, const http_request& req,
             std::uint64_t declared_bytes);

/// POST /api/try-on/upload/ once the body has been streamed into `sink`
/// (null when the request was not multipart): authenticates, validates the
/// type and the bytes, moves the file into place and records it.
http_response finish_upload(rest_context& ctx, const http_request& req,
                            upload_sink* sink);

} // namespace tryon::net::rest
