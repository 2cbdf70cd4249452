export default async () => {
  const t = {
    ['./openapi/errors.dto.js']: await import('./openapi/errors.dto.js'),
    ['./logbook/dto/logbook-views.dto.js']: await import('./logbook/dto/logbook-views.dto.js'),
    ['./messages/dto/message-views.dto.js']: await import('./messages/dto/message-views.dto.js'),
    ['./notifications/dto/notification-views.dto.js']: await import('./notifications/dto/notification-views.dto.js'),
    ['./fish/dto/photo-views.dto.js']: await import('./fish/dto/photo-views.dto.js'),
    ['./community/dto/job-views.dto.js']: await import('./community/dto/job-views.dto.js'),
    ['./mypage/dto/owned-items.dto.js']: await import('./mypage/dto/owned-items.dto.js'),
    ['./preferences/dto/preferences-views.dto.js']: await import('./preferences/dto/preferences-views.dto.js'),
    ['./mypage/divers/dto/diver-views.dto.js']: await import('./mypage/divers/dto/diver-views.dto.js'),
    ['./search/dto/search-result.dto.js']: await import('./search/dto/search-result.dto.js'),
  };
  return {
    '@nestjs/swagger': {
      models: [
        [
          import('./auth/dto/signin.dto.js'),
          { SigninDto: { email: { required: true, type: () => String }, password: { required: true, type: () => String } } },
        ],
        [
          import('./auth/dto/signup.dto.js'),
          {
            SignupDto: {
              email: { required: true, type: () => String },
              username: { required: true, type: () => String },
              password: { required: true, type: () => String },
              country: { required: true, type: () => String },
            },
          },
        ],
        [import('./auth/dto/delete-account.dto.js'), { DeleteAccountDto: { password: { required: true, type: () => String } } }],
        [
          import('./auth/dto/refresh.dto.js'),
          {
            RefreshDto: { refresh: { required: true, type: () => String } },
            LogoutDto: { refresh: { required: false, type: () => String } },
          },
        ],
        [
          import('./auth/dto/account.dto.js'),
          {
            Account: {
              id: { required: true, type: () => Number, example: 7 },
              email: { required: true, type: () => String, example: 'diver@example.com' },
              username: { required: true, type: () => String, example: 'diver' },
              country: { required: true, type: () => String, example: 'KR' },
            },
            SignedIn: {
              refresh: { required: true, type: () => String, description: 'Refresh token (JWT)' },
              access: { required: true, type: () => String, description: 'Access token (JWT), sent as `Authorization: Bearer <access>`' },
            },
            RefreshedTokens: {
              access: { required: true, type: () => String },
              refresh: {
                required: false,
                type: () => String,
                description: 'A new refresh token, when rotation is on (the one sent is then revoked)',
              },
            },
            Me: {
              license: { required: true, type: () => String, nullable: true },
              introduction: { required: true, type: () => String, nullable: true },
              profile_image: { required: true, type: () => String, nullable: true, description: 'Absolute URL' },
              date_joined: { required: true, type: () => String, description: 'ISO 8601, UTC' },
            },
            Acknowledged: { detail: { required: true, type: () => String, example: 'Logout successful.' } },
          },
        ],
        [
          import('./openapi/errors.dto.js'),
          {
            ErrorDetail: {
              detail: { required: true, type: () => String, example: 'Not found.' },
              code: {
                required: false,
                type: () => String,
                description: "A machine-readable reason on token errors (simplejwt's)",
                example: 'token_not_valid',
              },
              messages: {
                required: false,
                type: () => [t['./openapi/errors.dto.js'].TokenMessage],
                description: "Which token was refused, on token errors (simplejwt's)",
              },
            },
            TokenMessage: {
              token_class: { required: true, type: () => String, example: 'AccessToken' },
              token_type: { required: true, type: () => String, example: 'access' },
              message: { required: true, type: () => String, example: 'Token is invalid or expired' },
            },
            ErrorMessage: { error: { required: true, type: () => String, example: 'Enter a search term (q).' } },
          },
        ],
        [import('./health/dto/health.dto.js'), { Health: { status: { required: true, enum: ['error', 'ok'] } } }],
        [
          import('./logbook/dto/logbook.dto.js'),
          {
            CreateLogbookDto: {
              dive_title: { required: true, type: () => String },
              dive_site: { required: true, type: () => String },
              dive_date: { required: true, type: () => String },
              max_depth: { required: true, type: () => Number },
              bottom_time: { required: true, type: () => Number },
              weight: { required: true, type: () => Number },
              start_pressure: { required: true, type: () => Number },
              end_pressure: { required: true, type: () => Number },
              weather: { required: false, type: () => String, nullable: true },
              type_of_dive: { required: false, type: () => String, nullable: true },
              feeling: { required: false, type: () => String, nullable: true },
              buddy: { required: false, type: () => String, nullable: true },
              dive_image_url: { required: false, type: () => String, nullable: true },
              dive_center: { required: false, type: () => Number, nullable: true },
              latitude: { required: false, type: () => Number, nullable: true },
              longitude: { required: false, type: () => Number, nullable: true },
              equipment: { required: false, type: () => [String] },
              dive_image: { required: false, nullable: true, enum: [''] },
            },
            UpdateLogbookDto: {},
          },
        ],
        [import('./logbook/dto/comment.dto.js'), { CreateCommentDto: { text: { required: true, type: () => String } } }],
        [
          import('./common/dto/page.dto.js'),
          {
            Page: {
              count: { required: true, type: () => Number, description: 'Items in the whole list' },
              next: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'Absolute URL of the next page, null on the last',
                example: 'https://scoopadive.com/api/logbooks/?page=2',
              },
              previous: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'Absolute URL of the previous page, null on the first',
              },
            },
          },
        ],
        [
          import('./logbook/dto/logbook-views.dto.js'),
          {
            Logbook: {
              id: { required: true, type: () => Number, example: 42 },
              liked_by_current_user: {
                required: true,
                type: () => Boolean,
                description: 'Whether the caller likes it (false for anonymous callers and in the shared diver lists)',
              },
              likes_count: { required: true, type: () => Number },
              dive_image_url: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'A URL the client gave instead of a file',
              },
              dive_image: {
                required: true,
                type: () => String,
                nullable: true,
                description: 'Absolute URL of the uploaded image',
                example: 'https://scoopadive.com/media/logbooks/3/5f1c.png',
              },
              feeling: { required: true, type: () => String, nullable: true },
              buddy: { required: true, type: () => String, nullable: true },
              dive_title: { required: true, type: () => String, example: 'Morning drift' },
              dive_site: { required: true, type: () => String, example: 'Seogwipo' },
              dive_date: { required: true, type: () => String, example: '2025-06-01' },
              max_depth: { required: true, type: () => Number, description: 'Metres', example: 18.5 },
              bottom_time: {
                required: true,
                type: () => String,
                description: 'A duration as DRF writes it: HH:MM:SS, or "D HH:MM:SS" from a day on',
                example: '00:45:00',
              },
              weather: { required: true, type: () => String, nullable: true },
              type_of_dive: { required: true, type: () => String, nullable: true },
              weight: { required: true, type: () => Number, description: 'Kilograms' },
              start_pressure: { required: true, type: () => Number, description: 'Bar' },
              end_pressure: { required: true, type: () => Number, description: 'Bar' },
              user: { required: true, type: () => Number, description: "The author's user id" },
              dive_center: { required: true, type: () => Number, nullable: true },
              equipment: { required: true, type: () => [String], example: ['mask', 'fins'] },
              likes: { required: true, type: () => [Number], description: 'Ids of the users who like it' },
              latitude: { required: true, type: () => Number, nullable: true },
              longitude: { required: true, type: () => Number, nullable: true },
            },
            LogbookPage: { results: { required: true, type: () => [t['./logbook/dto/logbook-views.dto.js'].Logbook] } },
            LogbookComment: {
              id: { required: true, type: () => Number },
              text: { required: true, type: () => String, example: 'Great visibility!' },
              author_username: { required: true, type: () => String, example: 'diver' },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC', example: '2025-06-01T09:30:00.000000Z' },
            },
            LikeState: {
              liked: { required: true, type: () => Boolean },
              likes_count: { required: true, type: () => Number, description: 'The count with this change applied' },
            },
            LogbookLikes: {
              likes: { required: true, type: () => [String], description: 'Usernames', example: ['diver', 'buddy'] },
              likes_count: { required: true, type: () => Number },
            },
            LikedLogbook: {
              id: { required: true, type: () => Number },
              likes: { required: true, type: () => [String], description: 'Usernames of the divers who like it', example: ['diver'] },
            },
          },
        ],
        [
          import('./messages/dto/message-views.dto.js'),
          {
            Person: { id: { required: true, type: () => Number }, username: { required: true, type: () => String, example: 'diver' } },
            Message: {
              id: { required: true, type: () => Number },
              template: { required: true, enum: ['INVITE', 'LOG_REQUEST', 'SHORT_DM'] },
              content: { required: true, type: () => String, example: 'Dive together on Saturday?' },
              is_read: { required: true, type: () => Boolean },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              sender: { required: true, type: () => t['./messages/dto/message-views.dto.js'].Person },
              receiver: { required: true, type: () => t['./messages/dto/message-views.dto.js'].Person },
            },
            MessagePage: { results: { required: true, type: () => [t['./messages/dto/message-views.dto.js'].Message] } },
          },
        ],
        [
          import('./notifications/dto/notification-views.dto.js'),
          {
            NotificationMeta: {
              actor: { required: true, type: () => String, description: 'Who caused it', example: 'buddy' },
              sender: {
                required: false,
                type: () => t['./messages/dto/message-views.dto.js'].Person,
                description: 'On message notifications',
              },
              preview: { required: false, type: () => String, description: "The message's first 80 characters, on message notifications" },
            },
            Notification: {
              id: { required: true, type: () => Number },
              type: { required: true, enum: ['message', 'like', 'comment', 'friend'] },
              title: { required: true, type: () => String, example: 'buddy liked your log' },
              is_read: { required: true, type: () => Boolean },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              link: { required: true, type: () => String, description: "The client's page for it", example: '/log/42' },
              meta: { required: true, type: () => t['./notifications/dto/notification-views.dto.js'].NotificationMeta },
            },
            NotificationPage: {
              results: { required: true, type: () => [t['./notifications/dto/notification-views.dto.js'].Notification] },
            },
            StreamTicket: {
              ticket: { required: true, type: () => String, description: 'Single use, for `GET /api/notifications/stream?ticket=\u2026`' },
            },
            ReadCount: { updated: { required: true, type: () => Number, description: 'How many were unread' } },
          },
        ],
        [
          import('./fish/dto/photo.dto.js'),
          {
            CreatePhotoDto: { title: { required: true, type: () => String }, image_url: { required: false, type: () => String } },
            UpdatePhotoDto: { title: { required: true, type: () => String } },
            ClassifyBatchDto: { photo_ids: { required: true, type: () => [Number] } },
          },
        ],
        [
          import('./fish/dto/photo-views.dto.js'),
          {
            Photo: {
              id: { required: true, type: () => Number },
              title: { required: true, type: () => String, example: 'Clownfish' },
              image_url: { required: true, type: () => String, description: 'Absolute URL of the image' },
              uploaded_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              classified_as: {
                required: true,
                type: () => String,
                nullable: true,
                description: "The best match's name once recognised",
                example: 'Amphiprion ocellaris',
              },
              status: { required: true, nullable: true, enum: ['done', 'pending', 'failed'] },
              species: { required: true, type: () => Object },
              fishial_result: { required: true, type: () => Object },
              error: { required: true, type: () => String, nullable: true, description: 'Why the last recognition failed' },
            },
            PhotoPage: { results: { required: true, type: () => [t['./fish/dto/photo-views.dto.js'].Photo] } },
            UploadTarget: {
              uploadUrl: { required: true, type: () => String, description: 'PUT the file here with its Content-Type' },
              fileUrl: { required: true, type: () => String, description: 'Send this as `image_url` when creating the photo' },
            },
            Classification: { photo_id: { required: true, type: () => Number }, status: { required: true, enum: ['done', 'pending'] } },
          },
        ],
        [
          import('./community/dto/job.dto.js'),
          {
            CreateJobDto: {
              title: { required: true, type: () => String },
              location: { required: false, type: () => String, nullable: true },
              description: { required: false, type: () => String, nullable: true },
            },
            UpdateJobDto: { title: { required: false, type: () => String } },
          },
        ],
        [
          import('./community/dto/job-views.dto.js'),
          {
            Job: {
              id: { required: true, type: () => Number },
              title: { required: true, type: () => String, example: 'Looking for a buddy in Jeju' },
              location: { required: true, type: () => String, nullable: true },
              description: { required: true, type: () => String, nullable: true },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC', example: '2025-06-01T09:30:00.000000Z' },
              user: { required: true, type: () => Number, description: "The author's user id" },
            },
            JobPage: { results: { required: true, type: () => [t['./community/dto/job-views.dto.js'].Job] } },
          },
        ],
        [
          import('./messages/dto/message.dto.js'),
          {
            CreateMessageDto: {
              content: { required: true, type: () => String },
              template: { required: true, enum: ['INVITE', 'LOG_REQUEST', 'SHORT_DM'] },
              receiver_id: { required: false, type: () => Number },
              receiver_username: { required: false, type: () => String },
            },
          },
        ],
        [
          import('./mypage/bucket-lists/dto/bucket-list.dto.js'),
          {
            BucketListDto: { title: { required: true, type: () => String }, user: { required: false, type: () => Number, nullable: true } },
            UpdateBucketListDto: {},
          },
        ],
        [
          import('./mypage/dto/owned-items.dto.js'),
          {
            BucketListItem: {
              id: { required: true, type: () => Number },
              title: { required: true, type: () => String, example: 'Dive the Blue Hole' },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              user: { required: true, type: () => Number, description: "The owner's user id" },
            },
            BucketListPage: { results: { required: true, type: () => [t['./mypage/dto/owned-items.dto.js'].BucketListItem] } },
            Skill: {
              id: { required: true, type: () => Number },
              skill: { required: true, type: () => String, example: 'Night diving' },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              user: { required: true, type: () => Number, description: "The owner's user id" },
            },
            SkillPage: { results: { required: true, type: () => [t['./mypage/dto/owned-items.dto.js'].Skill] } },
          },
        ],
        [
          import('./mypage/divers/dto/edit-profile.dto.js'),
          {
            EditProfileDto: {
              username: { required: false, type: () => String },
              email: { required: false, type: () => String },
              country: { required: false, type: () => String },
              license: { required: false, type: () => String, nullable: true },
              introduction: { required: false, type: () => String, nullable: true },
              profile_image: { required: false, nullable: true, enum: [''] },
            },
          },
        ],
        [
          import('./mypage/divers/dto/diver-views.dto.js'),
          {
            DirectoryEntry: {
              id: { required: true, type: () => Number },
              profile_image: { required: true, type: () => String, nullable: true, description: 'Absolute URL' },
              username: { required: true, type: () => String, example: 'diver' },
              country: { required: true, type: () => String, example: 'KR' },
              introduction: { required: true, type: () => String, nullable: true },
              license: { required: true, type: () => String, nullable: true },
            },
            Diver: {
              email: {
                required: true,
                type: () => String,
                nullable: true,
                description: "The caller's own address in the caller's own entry, null in everyone else's",
              },
              date_joined: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              bucketlists: { required: true, type: () => [t['./mypage/dto/owned-items.dto.js'].BucketListItem] },
              own_logbooks: {
                required: true,
                type: () => [t['./logbook/dto/logbook-views.dto.js'].Logbook],
                description: 'Newest dive first',
              },
              friends: { required: true, type: () => [Number], description: "Buddies' user ids" },
            },
            BuddyAdded: { message: { required: true, type: () => String, example: 'Buddy added.' } },
          },
        ],
        [
          import('./mypage/skills/dto/skill.dto.js'),
          {
            SkillDto: { skill: { required: true, type: () => String }, user: { required: false, type: () => Number, nullable: true } },
            UpdateSkillDto: {},
          },
        ],
        [
          import('./password-reset/dto/password-reset-views.dto.js'),
          {
            ResetMessage: { message: { required: true, type: () => String, example: 'Code verified.' } },
            ResetRefusal: {
              detail: { required: true, type: () => String, example: 'Invalid or expired code.' },
              message: { required: true, type: () => String, example: 'Invalid or expired code.' },
            },
          },
        ],
        [
          import('./password-reset/dto/password-reset.dto.js'),
          {
            ResetRequestDto: { email: { required: true, type: () => String } },
            ResetVerifyDto: { email: { required: true, type: () => String }, code: { required: true, type: () => String } },
            ResetConfirmDto: { email: { required: true, type: () => String }, new_password: { required: true, type: () => String } },
          },
        ],
        [
          import('./preferences/dto/preferences.dto.js'),
          {
            PreferencesDto: {
              birthday: { required: false, type: () => String },
              residence: { required: false, type: () => String, nullable: true },
              budget_min: { required: false, type: () => String, nullable: true },
              budget_max: { required: false, type: () => String, nullable: true },
              gender: { required: false, type: () => String, nullable: true },
              preferred_depth_range: { required: false, type: () => String, nullable: true },
              hobbies: { required: false, type: () => String, nullable: true },
              preferred_activities: { required: false, type: () => String, nullable: true },
              preferred_atmosphere: { required: false, type: () => String, nullable: true },
              last_dive_date: { required: false, type: () => String, nullable: true },
              preferred_diving: { required: false, type: () => String, nullable: true },
            },
          },
        ],
        [
          import('./preferences/dto/preferences-views.dto.js'),
          {
            Preferences: {
              id: { required: true, type: () => Number },
              birthday: { required: true, type: () => String, example: '1990-01-01' },
              residence: { required: true, type: () => String, nullable: true },
              budget_min: { required: true, type: () => String, nullable: true },
              budget_max: { required: true, type: () => String, nullable: true },
              gender: { required: true, type: () => String, nullable: true },
              preferred_depth_range: { required: true, type: () => String, nullable: true },
              hobbies: { required: true, type: () => String, nullable: true },
              preferred_activities: { required: true, type: () => String, nullable: true },
              preferred_atmosphere: { required: true, type: () => String, nullable: true },
              last_dive_date: { required: true, type: () => String, nullable: true },
              preferred_diving: { required: true, type: () => String, nullable: true },
              user: { required: true, type: () => Number, description: "The owner's user id" },
            },
            PreferencesPage: { results: { required: true, type: () => [t['./preferences/dto/preferences-views.dto.js'].Preferences] } },
          },
        ],
        [
          import('./recommend/dto/spot-views.dto.js'),
          {
            Spot: {
              id: { required: true, type: () => Number },
              region: { required: true, type: () => String, example: 'Tulamben' },
              country: { required: true, type: () => String, example: 'Indonesia' },
              intro: {
                required: true,
                type: () => String,
                description: "Why it fits, built from the community's logs (or the recommender's words).",
              },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              user: { required: true, type: () => Number, description: 'The diver it was recommended to' },
            },
            SpotsUpdated: { message: { required: true, type: () => String, example: 'Spots updated' } },
            SpotsPending: {
              message: { required: true, type: () => String, example: 'Your spots are being updated.' },
              status: { required: true, enum: ['pending'] },
            },
            RecommendationStatus: {
              status: { required: true, enum: ['done', 'pending', 'failed'] },
              error: { required: true, type: () => String, nullable: true, description: 'Why it failed; null otherwise' },
              requested_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
              finished_at: { required: true, type: () => String, nullable: true, description: 'ISO 8601, UTC; null while pending' },
            },
          },
        ],
        [
          import('./search/dto/search-result.dto.js'),
          {
            FoundLogbook: {
              id: { required: true, type: () => Number },
              dive_title: { required: true, type: () => String },
              dive_site: { required: true, type: () => String },
              feeling: { required: true, type: () => String, nullable: true },
              dive_date: { required: true, type: () => String },
              max_depth: { required: true, type: () => Number },
              bottom_time: { required: true, type: () => String, description: 'HH:MM:SS, or "D HH:MM:SS"' },
              weather: { required: true, type: () => String, nullable: true },
              type_of_dive: { required: true, type: () => String, nullable: true },
              weight: { required: true, type: () => Number },
              start_pressure: { required: true, type: () => Number },
              end_pressure: { required: true, type: () => Number },
            },
            FoundBucketListItem: {
              id: { required: true, type: () => Number },
              title: { required: true, type: () => String },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
            },
            FoundBuddies: {
              id: { required: true, type: () => Number },
              user_username: { required: true, type: () => String },
              friend_username: { required: true, type: () => String },
              created_at: { required: true, type: () => String, description: 'ISO 8601, UTC' },
            },
            FoundJob: {
              id: { required: true, type: () => Number },
              title: { required: true, type: () => String },
              location: { required: true, type: () => String, nullable: true },
              description: { required: true, type: () => String, nullable: true },
            },
            SearchResult: {
              users: { required: true, type: () => [t['./mypage/divers/dto/diver-views.dto.js'].DirectoryEntry] },
              logbooks: { required: true, type: () => [t['./search/dto/search-result.dto.js'].FoundLogbook] },
              comments: { required: true, type: () => [t['./logbook/dto/logbook-views.dto.js'].LogbookComment] },
              bucketlists: { required: true, type: () => [t['./search/dto/search-result.dto.js'].FoundBucketListItem] },
              friends: { required: true, type: () => [t['./search/dto/search-result.dto.js'].FoundBuddies] },
              jobs: { required: true, type: () => [t['./search/dto/search-result.dto.js'].FoundJob] },
            },
          },
        ],
      ],
      controllers: [],
    },
  };
};
