data "sevalla_users" "all" {}

output "user_emails" {
  value = data.sevalla_users.all.users[*].email
}
