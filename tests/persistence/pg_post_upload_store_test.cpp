#include "persistence/pg_post_store.hpp"
#include "persistence/pg_upload_store.hpp"

#include "persistence/store_error.hpp"
#include "tests/persistence/pg_fixture.hpp"

using namespace tryon::persistence;

namespace {

class PgPostStoreTest : public tryon::pgtest::pg_fixture {};
class PgUploadStoreTest : public tryon::pgtest::pg_fixture {};

upload_record sample_upload(std::int64_t user_id, const std::string& name) {
  upload_record u;
  u.user_id = user_id;
  u.kind = "nail_reference";
  u.media_path = "uploads/nail_reference/" + name;
  u.url = "http://media.test/media/uploads/nail_reference/" + name;
  u.content_type = "image/png";
  u.size = 1234;
  return u;
}

} // namespace

TEST_F(PgPostStoreTest, AddsAndFindsPosts) {
  auto a = pg_->posts.add_post("http://img.test/a.png", "Red tips");
  auto b = pg_->posts.add_post("http://img.test/b.png", "");
  EXPECT_GT(b.id, a.id);
  auto found = pg_->posts.find_post(a.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title, "Red tips");
  EXPECT_EQ(found->image_url, "http://img.test/a.png");
  EXPECT_EQ(pg_->posts.find_post(b.id)->title, "");
}

TEST_F(PgPostStoreTest, UnknownPostIsNullopt) {
  EXPECT_FALSE(pg_->posts.find_post(424242));
  EXPECT_FALSE(pg_->posts.find_post(-1));
}

TEST_F(PgUploadStoreTest, RecordsAndFindsByUrlPerUser) {
  auto alice = make_user("alice");
  auto bob = make_user("bob");
  auto rec = pg_->uploads.add_upload(sample_upload(alice.id, "x.png"));
  EXPECT_GT(rec.id, 0);
  auto found = pg_->uploads.find_upload_by_url(alice.id, rec.url);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, rec.id);
  EXPECT_EQ(found->kind, "nail_reference");
  EXPECT_EQ(found->media_path, "uploads/nail_reference/x.png");
  EXPECT_EQ(found->content_type, "image/png");
  EXPECT_EQ(found->size, 1234);
  // Another user may not reference alice's upload.
  EXPECT_FALSE(pg_->uploads.find_upload_by_url(bob.id, rec.url));
  EXPECT_FALSE(pg_->uploads.find_upload_by_url(alice.id, rec.url + "?"));
}

TEST_F(PgUploadStoreTest, SameMediaPathTwiceIsAConflict) {
  auto alice = make_user("alice");
  pg_->uploads.add_upload(sample_upload(alice.id, "x.png"));
  try {
    pg_->uploads.add_upload(sample_upload(alice.id, "x.png"));
    FAIL() << "no store_error";
  } catch (const store_error& e) {
    EXPECT_TRUE(e.conflict());
  }
}

TEST_F(PgUploadStoreTest, UnknownKindOrUserIsAnError) {
  auto alice = make_user("alice");
  auto bad = sample_upload(alice.id, "y.png");
  bad.kind = "../../etc";
  EXPECT_THROW(pg_->uploads.add_upload(bad), store_error);
  EXPECT_THROW(pg_->uploads.add_upload(sample_upload(alice.id + 99, "z.png")),
               store_error);
}

TEST_F(PgUploadStoreTest, DeletingTheUserDeletesItsUploads) {
  auto alice = make_user("alice");
  auto rec = pg_->uploads.add_upload(sample_upload(alice.id, "x.png"));
  db_->exec("delete from users where id = " + std::to_string(alice.id));
  EXPECT_FALSE(pg_->uploads.find_upload_by_url(alice.id, rec.url));
}
