//! The documented XML examples of `shared/seeds/akixi-application-users.txt`, verbatim
//! (comments, line breaks and the docs' own quirks such as `Defaultlang` included).
#![allow(dead_code)]

/// Seed example `USER_ADD_REQUEST`.
pub const USER_ADD_REQUEST: &str = r#"<Request Operation="UserAdd">
<InvokeID>00024</InvokeID>
<SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>
<OperationPayload>
<Property Name="Username">supervisor1@example.com</Property>
<Property Name="EmailAddr">test@example.com</Property>
<Property Name="FullName">Sample Supervisor Account</Property>
<Property Name="LockOut">False</Property>
<!--AES-128 encrypted and Base-64 encoded password value. -->
<Property Name="Password">test</Property>
<Property Name="PasswordChgRequired">False</Property>
<Property Name="EnableMFA">True</Property>
<Property Name="SynchroniseSupervisorPermissions">False</Property>
<Property Name="SendWelcomeEmail">False</Property>
<Property Name="DefaultLang">en_GB</Property>
<!-- Scope-related Properties.-->
<Container Name="Scope">
<Property Name="CMEnvironmentID">d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613</Property>
<Property Name="TelSysID">1</Property>
<Property Name="PartIDInTelSys">1</Property>
<Property Name="DeviceNumber">All</Property>
<Property Name="AgentNumber">All</Property>
<Property Name="ReportingAccess">Akixi 3000</Property>
</Container>
<!-- Permissions-related Properties.-->
<Container Name="Permissions">
<Property Name="Admin">Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read</Property>
<Property Name="NonAdmin">Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures</Property>
<Property Name="Other">ConcurrentSignIn,ServiceNotifications</Property>
</Container>
<!-- Endpoint-related Properties.-->
<Container Name="Endpoint">
<Property Name="TelSysID">1</Property>
<Property Name="PartIDInTelSys">1</Property>
<Property Name="DeviceNumber">01234567890</Property>
<Property Name="AgentNumber">None</Property>
</Container>
<!-- Advanced Properties.-->
<Container Name="Advanced">
<Property Name="PromptForTerms">False</Property>
<Property Name="NotifyPasswordChgs">False</Property>
<Property Name="ReportUpdInterval">Auto</Property>
<Property Name="DisableMediaPlugIns">False</Property>
<Property Name="DisableDragDropFeatures">False</Property>
<Property Name="JavaScriptAuditOutput">False</Property>
</Container>
</OperationPayload>
</Request>"#;

/// Seed example `USER_ADD_RESPONSE`.
pub const USER_ADD_RESPONSE: &str = r#"<Response Result="Success">
<InvokeID>00024</InvokeID>
</Response>"#;

/// Seed example `USER_CHANGE_REQUEST`.
pub const USER_CHANGE_REQUEST: &str = r#"<Request Operation="UserChange">
<InvokeID>00025</InvokeID>
<SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>
<OperationPayload>
<!-- You can modify all Properties (the only exception is Username).-->
<Property Name="Username">supervisor1@example.com</Property>
<Property Name="EmailAddr">reporting2@acme-commsnet.com</Property>
<Property Name="FullName">Sample Supervisor Account 2</Property>
<Property Name="LockOut">False</Property>
<Property Name="Password">C4gRIuo7ZTdpW/2LejGDLV2oSxAyJDU26a/iLRb4OeY=</Property>
<Property Name="PasswordChgRequired">True</Property>
<Property Name="EnableMFA">False</Property>
<Property Name="SynchroniseSupervisorPermissions">False</Property>
<Property Name="SendWelcomeEmail">True</Property>
<Property Name="Defaultlang">en_GB</Property>
<!-- Scope-related Properties.-->
<Container Name="Scope">
<Property Name="CMEnvironmentID">d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613</Property>
<Property Name="TelSysID">100100</Property>
<Property Name="PartIDInTelSys">2</Property>
<Property Name="DeviceNumber">All</Property>
<Property Name="AgentNumber">All</Property>
<Property Name="ReportingAccess">Akixi 1000</Property>
</Container>
<!-- Permissions-related properties. -->
<Container Name="Permissions">
<Property Name="Admin">Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read</Property>
<Property Name="NonAdmin">Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures</Property>
<Property Name="Other">ConcurrentSignIn,ServiceNotifications</Property>
</Container>
<!-- Endpoint-related Properties.-->
<Container Name="Endpoint">
<Property Name="TelSysID">100100</Property>
<Property Name="PartIDInTelSys">2</Property>
<Property Name="DeviceNumber">01234567890</Property>
<Property Name="AgentNumber">None</Property>
</Container>
<!-- Advanced Properties.-->
<Container Name="Advanced">
<Property Name="PromptForTerms">False</Property>
<Property Name="NotifyPasswordChgs">False</Property>
<Property Name="ReportUpdInterval">Auto</Property>
<Property Name="DisableMediaPlugIns">False</Property>
<Property Name="DisableDragDropFeatures">False</Property>
<Property Name="JavaScriptAuditOutput">False</Property>
</Container>
</OperationPayload>
</Request>"#;

/// Seed example `USER_CHANGE_RESPONSE`.
pub const USER_CHANGE_RESPONSE: &str = r#"<Response Result="Success">
<InvokeID>00025</InvokeID>
</Response>"#;

/// Seed example `USER_DELETE_REQUEST`.
pub const USER_DELETE_REQUEST: &str = r#"<Request Operation="UserDelete">
<InvokeID>00026</InvokeID>
<SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>
<OperationPayload>
<Property Name="Username">WebServicesAdmin@akixiprovider.com</Property>
</OperationPayload>
</Request>"#;

/// Seed example `USER_DELETE_RESPONSE`.
pub const USER_DELETE_RESPONSE: &str = r#"<Response Result="Success">
<InvokeID>00026</InvokeID>
</Response>"#;

/// Seed example `USER_LIST_REQUEST`.
pub const USER_LIST_REQUEST: &str = r#"<Request Operation="UserList">
<InvokeID>00027</InvokeID>
<SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>
<!-- Specify the number of entries to skip. -->
<Offset>100</Offset>
<!-- Specify how many entries to retrieve after the offset. -->
<Limit>20</Limit>
<OperationPayload>
<!-- Specify a CM Environment component Identifier. -->
<Property Name="CMEnvironmentID">d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613</Property>
<!-- Specify a Telephony Server component Identifier. -->
<Property Name="TelSysID">100100</Property>
<!-- Specify a Partition Identifier within a Telephony Server. -->
<Property Name="PartIDInTelSys">2</Property>
<!-- Can be used to list additional parameters of each Akixi Application User. -->
<Property Name="UserFields">LockOut,ReportingAccess,EnhancedMobileReporting,Admin,
OmniChannelACDAgent
</Property>
<!-- Optional property to list Application Users containing a specific Username or FullName. -->
<Property Name="SearchQuery">Add Username or FullName to query</Property>
</OperationPayload>
</Request>"#;

/// Seed example `USER_LIST_RESPONSE`.
pub const USER_LIST_RESPONSE: &str = r#"<Response Result="Success">
<InvokeID>00027</InvokeID>
<Success>
<Container>
<!-- Only Username and FullName parameters are returned by default.-->
<Property Name="Username">supervisor1@example.com</Property>
<Property Name="FullName">Sample Supervisor Account</Property>
<!-- Parameters below were requested via UserFields Property.-->
<Property Name="LockOut">False</Property>
<Property Name="ReportingAccess">Akixi 2000</Property>
<Property Name="EnhancedMobileReporting">True</Property>
<Property Name="Admin">False</Property>
</Container>
<Container>
<!-- Only Username and FullName parameters are returned by default.-->
<Property Name="Username">administrator@example.com</Property>
<Property Name="FullName">Sample Admin Account</Property>
<!-- Parameters below were requested via UserFields Property.-->
<Property Name="LockOut">False</Property>
<Property Name="ReportingAccess">Akixi 2000</Property>
<Property Name="EnhancedMobileReporting">False</Property>
<Property Name="Admin">True</Property>
<Property Name="OmniChannelACDAgent">True</Property>
</Container>
</Success>
</Response>"#;

/// Seed example `USER_INFO_REQUEST`.
pub const USER_INFO_REQUEST: &str = r#"<Request Operation="UserInfo">
<InvokeID>00028</InvokeID>
<SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID>
<OperationPayload>
<Property Name="Username">supervisor1@example.com</Property>
</OperationPayload>
</Request>"#;

/// Seed example `USER_INFO_RESPONSE`.
pub const USER_INFO_RESPONSE: &str = r#"<Response Result="Success">
<InvokeID>00028</InvokeID>
<Success>
<!-- General Properties.-->
<Property Name="Username">supervisor@example.com</Property>
<Property Name="EmailAddr">reporting@acme-commsnet.com</Property>
<Property Name="FullName">Sample Supervisor Account 2</Property>
<Property Name="LockOut">False</Property>
<Property Name="PasswordChgRequired">True</Property>
<Property Name="EnableMFA">False</Property>
<Property Name="SynchroniseSupervisorPermissions">False</Property>
<Property Name="Defaultlang">en_GB</Property>
<!-- Scope-related Properties.-->
<Container Name="Scope">
<Property Name="CMEnvironmentID">d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613</Property>
<Property Name="TelSysID">100100</Property>
<Property Name="PartIDInTelSys">2</Property>
<Property Name="DeviceNumber">All</Property>
<Property Name="AgentNumber">All</Property>
<Property Name="ReportingAccess">Akixi 1000</Property>
<Property Name="Admin">False</Property>
<Property Name="CallRecIntID">4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6</Property>
<Property Name="ReportReadOnly">False</Property>
</Container>
<!-- User Permission-related Properties -->
<Container Name="Permissions">
<Property Name="Admin">Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read</Property>
<Property Name="NonAdmin">Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures</Property>
<Property Name="Other">ConcurrentSignIn,ServiceNotifications</Property>
</Container>
<!-- Endpoint-related Properties.-->
<Container Name="Endpoint">
<Property Name="TelSysID">100100</Property>
<Property Name="PartIDInTelSys">2</Property>
<Property Name="DeviceNumber">01234567890</Property>
<Property Name="AgentNumber">None</Property>
</Container>
<!-- Advanced Properties.-->
<Container Name="Advanced">
<Property Name="PromptForTerms">False</Property>
<Property Name="NotifyPasswordChgs">False</Property>
<Property Name="ReportUpdInterval">Auto</Property>
<Property Name="DisableMediaPlugIns">False</Property>
<Property Name="DisableDragDropFeatures">False</Property>
<Property Name="JavaScriptAuditOutput">False</Property>
</Container>
</Success>
</Response>"#;
