#pragma once

namespace tryon::persistence {

// -- interfaces ---------------------------------------------------------------

class health_probe;
class media_store;
class node_stats_store;
class post_store;
class result_store;
class session_store;
class store_error;
class upload_store;
class user_store;

// -- records ------------------------------------------------------------------

struct new_session;
struct post;
struct result_record;
struct session_filter;
struct session_record;
struct upload_record;
struct user;

// -- implementations (known to the mains only) -------------------------------

class file_media_store;
class pg_health_probe;
class pg_pool;
class pg_post_store;
class pg_result_store;
class pg_session_store;
class pg_upload_store;
class pg_user_store;
class redis_health_probe;
class redis_node_stats;
struct migration;
struct pg_database;

} // namespace tryon::persistence
