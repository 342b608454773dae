//! One generation run of a `cisco-em` service, and the runtime path its code names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::run::Gen;
use crate::model::{CiscoEmBinding, ResultShape};

/// The runtime of the protocol.
pub(super) fn em_rt() -> TokenStream {
    quote!(::akixi_client::runtime::cisco_em)
}

/// One generation run of a `cisco-em` service: the shared state and the typed binding.
pub(super) struct Em<'a> {
    pub(super) g: &'a Gen<'a>,
    pub(super) b: &'a CiscoEmBinding,
}

/// The runtime's type of a results document of `shape` (also its `Response` variant).
pub(super) fn shape_type(shape: ResultShape) -> TokenStream {
    match shape {
        ResultShape::DeviceUsers => quote!(DeviceUserResults),
        ResultShape::UserDevices => quote!(UserDevicesResults),
        ResultShape::DeviceProfiles => quote!(DeviceProfileResults),
    }
}
