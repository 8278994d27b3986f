// The one translation unit that compiles Asio's and Beast's out-of-line
// definitions (BOOST_*_SEPARATE_COMPILATION): every other Beast TU then skips
// them, which cuts its compile time by about a third.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
