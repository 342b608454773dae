//! The `cisco-em` protocol's fixed grammar: the elements of a response, as the EM API's response
//! DTDs give them. They are what make the protocol this protocol, so they are written here once,
//! for the client's decoder and the simulator's encoder alike. What a service may vary (the
//! documents' roots, the form field, the paths, the result data) is a `binding` row of the spec
//! instead, and the request's elements are the spec's `Element` columns. The results documents'
//! own elements are the spec's `result-document:` rows too (each type's `ActionOutput::ELEMENT`,
//! generated); their children are written here.

/// A request was carried out.
pub(crate) const SUCCESS: &str = "success";
/// The action was not carried out.
pub(crate) const FAILURE: &str = "failure";
/// A failure's error: `<error code="N">text</error>`.
pub(crate) const ERROR: &str = "error";
/// The attribute of an error's code.
pub(crate) const CODE: &str = "code";
/// The query DTD's form of a failure's message.
pub(crate) const ERROR_MESSAGE: &str = "errorMessage";
/// A device of `deviceUserResults`.
pub(crate) const DEVICE: &str = "device";
/// The attribute naming a device.
pub(crate) const NAME: &str = "name";
/// A user of `userDevicesResults` or `deviceProfileResults`.
pub(crate) const USER: &str = "user";
/// The attribute naming a user.
pub(crate) const ID: &str = "id";
/// A user's id (percent-escaped).
pub(crate) const USER_ID: &str = "userID";
/// When a device was last logged in to.
pub(crate) const LAST_LOGIN: &str = "lastlogin";
/// Whether a device is an Extension Mobility Cross Cluster device (`no` in the guide's
/// example), after `lastlogin` in a `device` of `deviceUserResults`.
pub(crate) const EMCC_DEVICE: &str = "emccDevice";
/// A device's name.
pub(crate) const DEVICE_NAME: &str = "deviceName";
/// Nobody logged in, or no device.
pub(crate) const NONE: &str = "none";
/// The device or user does not exist.
pub(crate) const DOES_NOT_EXIST: &str = "doesNotExist";
/// A user's device profile.
pub(crate) const DEVICE_PROFILE: &str = "deviceProfile";
/// A device profile's name.
pub(crate) const DEVICE_PROFILE_NAME: &str = "deviceProfileName";
/// Whether a device profile is the user's default.
pub(crate) const IS_DEFAULT: &str = "isDefaultDeviceProfile";
/// How the DTDs write a Boolean's `true` (`isDefaultDeviceProfile`).
pub(crate) const TRUE_WORDS: [&str; 4] = ["t", "true", "T", "True"];
/// How they write its `false`.
pub(crate) const FALSE_WORDS: [&str; 4] = ["f", "false", "F", "False"];
